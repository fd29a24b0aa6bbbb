import type { Redis } from 'ioredis';
import { auditKeys, OrderAuditTrail } from '../../audit/index.ts';
import type { Config } from '../../config/index.ts';
import type { Logger } from '../../log/logger.ts';
import type { IntakeHalt } from '../../orders/intakeHalt.ts';
import type { OrderService } from '../../orders/orderService.ts';
import type { NamespaceKeys } from '../../redis/namespaceKeys.ts';
import type { HaltSwitch } from '../haltSwitch.ts';
import { ContinuityGuard } from '../continuity/continuityGuard.ts';
import { orphanOrderRefs } from '../continuity/orphanOrders.ts';
import { ContinuityStateFile, stateFilePathFor } from '../continuity/stateFile.ts';
import { StateLossResponse } from '../continuity/stateLossResponse.ts';
import type { BrokerSessions } from './broker.ts';
import type { Capability } from './capability.ts';

const RECOVERING = 'the runtime is still recovering from the Redis state loss (re-seeding order ids, writing live orders back, reconciling with the broker); try again in a moment';

export interface ContinuityCapabilityDeps {
  config: Config;
  redis: Redis;
  keys: NamespaceKeys;
  /** Order intake's halt: a store found lost halts it. */
  intakeHalt: IntakeHalt;
  /** The node's halt switch: given the resume blocker (a recovery still running) and, once orders run, the cancel-all. */
  haltSwitch: HaltSwitch;
  broker: BrokerSessions;
  logger: Logger;
}

/** What one start of the guard holds. */
interface Started {
  guard: ContinuityGuard;
  response: StateLossResponse;
  resumeBlocker: () => string | null;
  ordersRunning: (service: OrderService) => void;
}

/**
 * The Redis continuity guard. Started before the orders capability, so a store found lost at start
 * halts intake before any job is taken; the orders capability then hands it its running service
 * (`attachOrders`), which recovers after a loss and answers "do you know this order?".
 */
export class ContinuityCapability implements Capability {
  readonly name = 'continuity';
  private started: Started | null = null;

  constructor(private readonly deps: ContinuityCapabilityDeps) {}

  /** The guard of the current start; null while this node is not active. */
  get guard(): ContinuityGuard | null {
    return this.started?.guard ?? null;
  }

  get haltSwitch(): HaltSwitch {
    return this.deps.haltSwitch;
  }

  childSpec(): null {
    return null;
  }

  async start(): Promise<void> {
    const { config, redis, keys, intakeHalt, haltSwitch, broker, logger } = this.deps;
    const auditStream = keys.auditStream(config.audit.streamKey);
    const trail = new OrderAuditTrail(redis, { key: auditStream });
    const sessions = broker.sessions;
    const response = new StateLossResponse({ logger, halt: intakeHalt, trail, sessions });
    let ordersRunning: (service: OrderService) => void = () => undefined;
    const orders = new Promise<OrderService>((resolve) => {
      ordersRunning = resolve;
    });
    const session = broker.session();
    const stateFilePath = stateFilePathFor(config);
    const guard = new ContinuityGuard({
      redis,
      logger,
      where: {
        epochKey: keys.continuityEpoch,
        audit: auditKeys(auditStream),
        orderIdMarkKeys: new Map([...sessions].map(([systemId, s]) => [systemId, s.orderIds.key])),
      },
      knownMarks: () => Object.fromEntries([...sessions].map(([systemId, s]) => [systemId, s.orderIds.knownMark])),
      stateFile: stateFilePath ? new ContinuityStateFile(stateFilePath, logger) : null,
      response,
      ...(session ? { orphansOnFreshStore: async () => orphanOrderRefs(session, async (ref) => (await (await orders).store.load(ref)) !== null) } : {}),
    });
    const resumeBlocker = () => (guard.repairing ? RECOVERING : null);
    await guard.start();
    logger.info('redis continuity guarded', { epoch: guard.anchors.epoch, stateFile: stateFilePath });
    this.started = { guard, response, resumeBlocker, ordersRunning };
    haltSwitch.useActiveParts({ resumeBlocker });
  }

  /** Called by the orders capability once its service runs. */
  attachOrders(service: OrderService): void {
    const started = this.started;
    if (!started) return;
    started.ordersRunning(service);
    this.deps.haltSwitch.useActiveParts({ resumeBlocker: started.resumeBlocker, cancelAll: () => service.cancelAllWorking() });
    started.response.attach(() => service.recoverFromStateLoss());
  }

  async stop(): Promise<void> {
    const started = this.started;
    if (!started) return;
    this.started = null;
    this.deps.haltSwitch.useActiveParts(null);
    await started.guard.stop();
  }
}
