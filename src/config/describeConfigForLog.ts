import { REDACTED } from '../log/redact.ts';
import { redactUrl } from '../log/redactUrl.ts';
import type { Config } from './schema.ts';

/** A copy of the config that is safe to log: the admin tokens and any Redis password are replaced. */
export function describeConfigForLog(config: Config): Config {
  const copy = structuredClone(config);
  if (copy.admin.token !== undefined) copy.admin.token = REDACTED;
  if (copy.admin.readToken !== undefined) copy.admin.readToken = REDACTED;
  copy.redis.url = redactUrlPassword(copy.redis.url);
  return copy;
}

/** The Redis URL with its password (and any secret query value) replaced; malformed URLs too (see redactUrl). */
export function redactUrlPassword(url: string): string {
  return redactUrl(url);
}
