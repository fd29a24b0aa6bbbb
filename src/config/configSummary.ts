import type { Config } from './schema.ts';

/**
 * What an operator checks first at a start, as flat log fields: which broker and gateway, which
 * namespace and node, where the admin API listens, what is switched on. The whole (redacted)
 * config is logged at debug.
 */
export function configSummary(config: Config): Record<string, string | number> {
  const gateway = config.broker.mode === 'ib' ? config.broker.ib : config.broker.sim;
  return {
    broker: config.broker.mode,
    gateway: `${gateway.host}:${gateway.port}`,
    namespace: config.namespace,
    nodeId: config.lease.nodeId ?? 'auto',
    admin: `${config.admin.host}:${config.admin.port}`,
    orders: config.orders.enabled ? 'on' : 'off',
    demo: config.orders.demo.enabled ? 'on' : 'off',
    marketDataSources: config.marketData.sources.length,
  };
}
