import { REDACTED } from '../log/redact';
import type { Config } from './schema';

/** A copy of the config that is safe to log: the admin token and any Redis password are replaced. */
export function describeConfigForLog(config: Config): Config {
  const copy = structuredClone(config);
  if (copy.admin.token !== undefined) copy.admin.token = REDACTED;
  copy.redis.url = redactUrlPassword(copy.redis.url);
  return copy;
}

/**
 * Works on the raw string rather than via `URL`, whose setter would percent-encode the marker and
 * whose serialisation would reshape the rest of the URL the operator wrote.
 */
export function redactUrlPassword(url: string): string {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/is.exec(url);
  if (!match) return url;
  const [, scheme, authority = '', rest] = match;
  const at = authority.lastIndexOf('@');
  if (at === -1) return url;
  const userinfo = authority.slice(0, at);
  const colon = userinfo.indexOf(':');
  if (colon === -1) return url;
  return `${scheme}${userinfo.slice(0, colon)}:${REDACTED}${authority.slice(at)}${rest}`;
}
