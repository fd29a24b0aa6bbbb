import { auditKeys, OrderAuditTrail } from '../../audit/index.ts';
import type { Config } from '../../config/index.ts';
import { namespaceKeys } from '../../redis/namespaceKeys.ts';
import type { OrderService } from '../../orders/orderService.ts';
import type { HaltSwitch } from '../haltSwitch.ts';
import { IB_CONNECTION_ID } from '../ibConnectionChild.ts';
import type { RuntimeResources } from '../runtimeResources.ts';
import { ContinuityGuard } from './continuityGuard.ts';
import { orphanOrderRefs } from './orphanOrders.ts';
import { ContinuityStateFile, stateFilePathFor } from './stateFile.ts';
import { StateLossResponse } from './stateLossResponse.ts';

export interface Continuity {
  guard: ContinuityGuard;
  haltSwitch: HaltSwitch;
  /** The order service once it runs: it recovers after a loss, and answers "do you know this order?". */
  attachOrders(service: OrderService): void;
  stop(): Promise<void>;
}

const RECOVERING = 'the runtime is still recovering from the Redis state loss (re-seeding order ids, writing live orders back, reconciling with the broker); try again in a moment';

/**
 * The continuity guard wired into a runtime: its first check runs before order intake starts, so
 * a store found lost at start halts intake before any job is taken. It gives the node's halt switch
 * the resume blocker (a recovery still running) and, once orders run, the cancel-all.
 */
export async function startContinuity(config: Config, resources: RuntimeResources, haltSwitch: HaltSwitch): Promise<Continuity> {
  const { logger, redis, intakeHalt } = resources;
  const keys = namespaceKeys(config.namespace);
  const auditStream = keys.auditStream(config.audit.streamKey);
  const trail = new OrderAuditTrail(redis, { key: auditStream });
  const response = new StateLossResponse({ logger, halt: intakeHalt, trail, sessions: resources.ibSessions });
  let attach: (service: OrderService) => void = () => undefined;
  const ordersRunning = new Promise<OrderService>((resolve) => {
    attach = resolve;
  });
  const session = resources.ibSessions.get(IB_CONNECTION_ID);
  const stateFilePath = stateFilePathFor(config);
  const guard = new ContinuityGuard({
    redis,
    logger,
    where: {
      epochKey: keys.continuityEpoch,
      audit: auditKeys(auditStream),
      orderIdMarkKeys: new Map([...resources.ibSessions].map(([systemId, s]) => [systemId, s.orderIds.key])),
    },
    knownMarks: () => Object.fromEntries([...resources.ibSessions].map(([systemId, s]) => [systemId, s.orderIds.knownMark])),
    stateFile: stateFilePath ? new ContinuityStateFile(stateFilePath, logger) : null,
    response,
    ...(session
      ? { orphansOnFreshStore: async () => orphanOrderRefs(session, async (ref) => (await (await ordersRunning).store.load(ref)) !== null) }
      : {}),
  });
  await guard.start();
  logger.info('redis continuity guarded', { epoch: guard.anchors.epoch, stateFile: stateFilePath });

  const resumeBlocker = () => (guard.repairing ? RECOVERING : null);
  haltSwitch.useActiveParts({ resumeBlocker });
  return {
    guard,
    haltSwitch,
    attachOrders(service) {
      attach(service);
      haltSwitch.useActiveParts({ resumeBlocker, cancelAll: () => service.cancelAllWorking() });
      response.attach(() => service.recoverFromStateLoss());
    },
    async stop() {
      haltSwitch.useActiveParts(null);
      await guard.stop();
    },
  };
}
