import { eventSchemaProblem, type ActorProfiles } from '../supervision/actorProfiles.ts';
import { brokerEventSchema } from '../orders/schema/orderEvents.ts';
import { clientOrderIdOf, isOrderActorId } from '../orders/orderActorIds.ts';
import { isChildOrderId } from '../machines/orders/algorithms/twapSchedule.ts';
import type { InjectedEvent } from '../admin/runtimeView.ts';
import { isBrokerOrigin, reservedEventProblem } from '../admin/reservedEvents.ts';

/** Types shown as accepted in a refusal: never a reserved or broker-origin one, even if a schema declares it. */
const isListed = (type: string) => reservedEventProblem(type) === null && !isBrokerOrigin(type);

export interface InjectedEventPolicyOptions {
  /** `testing.brokerEventInjection` with broker mode `sim`: broker-origin events may be injected into order actors. */
  brokerEventInjection: boolean;
}

/**
 * Which injected events an actor takes: only those its kind declares (an actor that declares
 * nothing takes nothing), never a reserved one, and broker-origin ones only into order actors, in
 * testing against the simulator. Order actors (`order:<id>`) are one kind with one schema; child
 * orders (`order:<parent>:t<n>`) take only the testing broker events.
 */
export class InjectedEventPolicy {
  constructor(
    private readonly profiles: ActorProfiles,
    private readonly options: InjectedEventPolicyOptions,
  ) {}

  problemWith(systemId: string, event: InjectedEvent): string | null {
    const reserved = reservedEventProblem(event.type);
    if (reserved) return reserved;
    const order = isOrderActorId(systemId);
    if (isBrokerOrigin(event.type)) {
      if (!order || !this.options.brokerEventInjection) {
        return `event type ${JSON.stringify(event.type)} is broker-origin: only the broker reports fills, acknowledgements and rejections (injecting them into order actors needs testing.brokerEventInjection, with broker mode sim)`;
      }
      return eventSchemaProblem(brokerEventSchema, event);
    }
    // A child order (TWAP slice) is its parent's to work: a cancel or modify of one slice would
    // leave the parent's schedule and quantities wrong, so requests go to the parent.
    if (order && isChildOrderId(clientOrderIdOf(systemId) ?? '')) return 'it is a child order (a TWAP slice) and takes no injected events; send CANCEL or MODIFY to its parent order';
    return this.profiles.problemWith(systemId, event, isListed);
  }

  /** Injections into order actors go into the order's audit trail, with the request id, before delivery. */
  isAudited(systemId: string): boolean {
    return isOrderActorId(systemId);
  }
}
