import type { ActorSystem } from 'xstate';

type AnyActorSystem = ActorSystem<any>;
import type { Logger } from '../log/logger.ts';
import { AddressBook } from './addressBook.ts';
import { ActorProfiles } from './actorProfiles.ts';
import { DeadLetterChannel } from './deadLetters.ts';
import { EventBus } from './eventBus.ts';
import type { ExitReason } from './restartPolicy.ts';
import type { Now } from '../shared/clock.ts';

/** Observations a supervisor reports, e.g. to Prometheus counters. */
export interface SupervisionHooks {
  childStarted?(supervisorId: string, childId: string, incarnation: number): void;
  childExited?(supervisorId: string, childId: string, reason: ExitReason): void;
  restarted?(supervisorId: string, childId: string): void;
  escalated?(supervisorId: string): void;
  shutdownOverrun?(supervisorId: string, childId: string): void;
}

/** Everything a supervisor needs from its surroundings, shared by the whole tree. */
export interface SupervisionServices {
  logger: Logger;
  /** Milliseconds, monotonic; a simulated clock's `now` in tests. */
  now: Now;
  random(): number;
  addresses: AddressBook;
  profiles: ActorProfiles;
  deadLetters: DeadLetterChannel;
  bus: EventBus;
  hooks: SupervisionHooks;
}

export function createSupervisionServices(options: {
  logger: Logger;
  now?: Now;
  random?: () => number;
  hooks?: SupervisionHooks;
}): SupervisionServices {
  const now = options.now ?? (() => performance.timeOrigin + performance.now());
  const deadLetters = new DeadLetterChannel(now);
  return {
    logger: options.logger,
    now,
    random: options.random ?? Math.random,
    addresses: new AddressBook(deadLetters),
    profiles: new ActorProfiles(),
    deadLetters,
    bus: new EventBus(),
    hooks: options.hooks ?? {},
  };
}

const servicesBySystem = new WeakMap<AnyActorSystem, SupervisionServices>();

/** Symbol-keyed so the services never show up in serialized input (inspector, logs). */
export const SERVICES = Symbol.for('tradewire.supervisionServices');

export function attachServices(system: AnyActorSystem, services: SupervisionServices): void {
  servicesBySystem.set(system, services);
}

export function servicesOf(system: AnyActorSystem): SupervisionServices {
  const services = servicesBySystem.get(system);
  if (!services) {
    throw new Error('no supervision services on this actor system: start the tree with createSupervisionTree()');
  }
  return services;
}
