import { OrderAuditTrail } from '../audit/index.ts';
import type { Config } from '../config/index.ts';
import { namespaceKeys } from '../redis/namespaceKeys.ts';
import { HaltSwitch } from './haltSwitch.ts';
import type { NodeTree } from './nodeTree.ts';
import type { Redis } from 'ioredis';
import type { Logger } from '../log/logger.ts';
import type { IntakeHalt } from '../orders/intakeHalt.ts';

/**
 * The halt switch and the audit trail it records to (the admin audit's too) on every node, active or
 * standby: a halt (or resume) sent to any node is recorded, stored in the namespace, and followed by
 * every other node within a lease renew interval; a cancel-all asked of a standby is done by the active node.
 */
export async function startHaltSwitch(
  config: Config,
  resources: { redis: Redis; intakeHalt: IntakeHalt; logger: Logger },
  node: NodeTree,
): Promise<{ haltSwitch: HaltSwitch & { stopFollowing(): void }; trail: OrderAuditTrail }> {
  const keys = namespaceKeys(config.namespace);
  const trail = new OrderAuditTrail(resources.redis, { key: keys.auditStream(config.audit.streamKey) });
  const haltSwitch = new HaltSwitch({ halt: resources.intakeHalt, trail, logger: resources.logger, store: { redis: resources.redis, key: keys.operatorHalt } });
  // On every node, before anything can halt: /ready is 503 while intake is halted, naming why.
  node.addReadinessCheck('intake', () => [...resources.intakeHalt.causes.values()].map((reason) => `order intake halted: ${reason}`));
  await haltSwitch.restore();
  const timer = setInterval(() => {
    haltSwitch.follow().catch((error: Error) => resources.logger.debug('halt switch could not read the stored halt', { error: error.message }));
  }, config.lease.renewMs);
  timer.unref();
  const following = Object.assign(haltSwitch, {
    stopFollowing() {
      clearInterval(timer);
    },
  });
  return { haltSwitch: following, trail };
}
