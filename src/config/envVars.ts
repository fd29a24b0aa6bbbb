import { ConfigError, type ConfigIssue } from '../shared/configError.ts';
import type { ConfigLayer } from '../shared/configLayer.ts';
import { mergeConfig } from './mergeConfig.ts';

type EnvKind = 'string' | 'integer' | 'boolean';

/** The environment variable names are a public contract; keep them stable. */
export const ENV_VARS = [
  { name: 'TRADEWIRE_ADMIN_PORT', path: 'admin.port', kind: 'integer' },
  { name: 'TRADEWIRE_ADMIN_HOST', path: 'admin.host', kind: 'string' },
  { name: 'TRADEWIRE_ADMIN_TOKEN', path: 'admin.token', kind: 'string' },
  { name: 'TRADEWIRE_READ_TOKEN', path: 'admin.readToken', kind: 'string' },
  { name: 'TRADEWIRE_NAMESPACE', path: 'namespace', kind: 'string' },
  { name: 'TRADEWIRE_LEASE_TTL_MS', path: 'lease.ttlMs', kind: 'integer' },
  { name: 'TRADEWIRE_LEASE_RENEW_MS', path: 'lease.renewMs', kind: 'integer' },
  { name: 'TRADEWIRE_NODE_ID', path: 'lease.nodeId', kind: 'string' },
  { name: 'REDIS_URL', path: 'redis.url', kind: 'string' },
  { name: 'TRADEWIRE_REDIS_STATE_FILE', path: 'redis.stateFile', kind: 'string' },
  { name: 'TRADEWIRE_ALLOW_VOLATILE_REDIS', path: 'redis.allowVolatile', kind: 'boolean' },
  { name: 'TRADEWIRE_LOG_LEVEL', path: 'log.level', kind: 'string' },
  { name: 'TRADEWIRE_LOG_FORMAT', path: 'log.format', kind: 'string' },
  { name: 'TRADEWIRE_INSPECT', path: 'inspect.enabled', kind: 'boolean' },
  { name: 'TRADEWIRE_INSPECT_PORT', path: 'inspect.port', kind: 'integer' },
  { name: 'TRADEWIRE_SHUTDOWN_TIMEOUT_MS', path: 'shutdownTimeoutMs', kind: 'integer' },
  { name: 'TRADEWIRE_BROKER', path: 'broker.mode', kind: 'string' },
  { name: 'TRADEWIRE_IB_HOST', path: 'broker.ib.host', kind: 'string' },
  { name: 'TRADEWIRE_IB_PORT', path: 'broker.ib.port', kind: 'integer' },
  { name: 'TRADEWIRE_IB_CLIENT_ID', path: 'broker.ib.clientId', kind: 'integer' },
  { name: 'TRADEWIRE_SIM_CLOCK', path: 'broker.sim.clock', kind: 'string' },
  { name: 'TRADEWIRE_DEMO', path: 'orders.demo.enabled', kind: 'boolean' },
  { name: 'TRADEWIRE_ALLOW_LIVE', path: 'broker.allowLive', kind: 'boolean' },
  { name: 'TRADEWIRE_TESTING_FAULT_HOOKS', path: 'testing.faultHooks', kind: 'boolean' },
  { name: 'TRADEWIRE_TESTING_BROKER_EVENTS', path: 'testing.brokerEventInjection', kind: 'boolean' },
] as const satisfies readonly { name: string; path: string; kind: EnvKind }[];

/** Names the file whose values sit between config/local.json and the environment. */
export const CONFIG_FILE_ENV_VAR = 'TRADEWIRE_CONFIG';

/** Empty strings count as unset, so `FOO= tradewire start` falls back to the files. */
export function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

const BOOLEANS: Record<string, boolean> = { true: true, false: false, '1': true, '0': false };

function convert(raw: string, kind: EnvKind): { value: unknown } | { problem: string } {
  if (kind === 'string') return { value: raw };
  if (kind === 'integer') {
    const trimmed = raw.trim();
    return /^-?\d{1,15}$/.test(trimmed) ? { value: Number(trimmed) } : { problem: `expected an integer; got ${JSON.stringify(raw.slice(0, 60))}` };
  }
  const bool = BOOLEANS[raw.trim().toLowerCase()];
  return bool === undefined ? { problem: `expected true or false; got ${JSON.stringify(raw.slice(0, 60))}` } : { value: bool };
}

function nest(path: string, value: unknown): Record<string, unknown> {
  return path
    .split('.')
    .reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as Record<string, unknown>;
}

/** Turns the recognised environment variables into a config layer; unparseable values are errors. */
export function readEnvLayer(env: NodeJS.ProcessEnv): ConfigLayer {
  const sources = new Map<string, string>();
  const issues: ConfigIssue[] = [];
  let data: Record<string, unknown> = {};
  for (const variable of ENV_VARS) {
    const raw = envValue(env, variable.name);
    if (raw === undefined) continue;
    const source = `environment variable ${variable.name}`;
    const converted = convert(raw, variable.kind);
    if ('problem' in converted) {
      issues.push({ path: variable.path, problem: converted.problem, source });
      continue;
    }
    sources.set(variable.path, source);
    data = mergeConfig(data, nest(variable.path, converted.value));
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return { data, sourceOf: (path) => sources.get(path) ?? 'the environment' };
}
