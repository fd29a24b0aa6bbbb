import { REDACTED } from './redact.ts';

/** Query parameters that carry credentials: `?token=`, `?access_token=`, `?api_key=`, `?password=`, … */
export const SECRET_QUERY_PARAM = /token|secret|passw(or)?d|pwd|credential|api[-_]?key|apikey|^auth$|authori[sz]ation|bearer|^jwt$|signature|^sig$|^key$/i;

/**
 * A URL (or a string that was meant to be one) with its password and secret query values
 * replaced. It works on the raw text rather than through `URL`, because what needs redacting
 * most is what `URL` refuses to parse: a malformed REDIS_URL still holds a real password. The
 * userinfo ends at the last '@' anywhere (a password may contain '/', '?' or '#'): redacting too
 * much is the safe side.
 */
export function redactUrl(text: string): string {
  const at = text.lastIndexOf('@');
  let head = '';
  let rest = text;
  if (at !== -1) {
    const scheme = /^[a-z][a-z0-9+.-]*:\/*/i.exec(text)?.[0] ?? '';
    const start = scheme.length <= at ? scheme.length : 0;
    const userinfo = text.slice(start, at);
    const colon = userinfo.indexOf(':');
    // In a well-formed URL, user:password → user:[redacted] and a lone user stays (ioredis reads
    // it as a username). In a malformed one nobody can tell which part is the password: all goes.
    const wellFormed = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
    const shown = !wellFormed ? REDACTED : colon !== -1 ? `${userinfo.slice(0, colon)}:${REDACTED}` : userinfo;
    head = text.slice(0, start) + shown + '@';
    rest = text.slice(at + 1);
  }
  return head + redactQuery(rest);
}

/** True when the URL's query string names a credential (the value is not looked at). */
export function hasSecretInQuery(url: string): boolean {
  return queryKeys(url).some((key) => SECRET_QUERY_PARAM.test(key));
}

function redactQuery(text: string): string {
  const question = text.indexOf('?');
  if (question === -1) return text;
  const hash = text.indexOf('#', question);
  const end = hash === -1 ? text.length : hash;
  const redacted = text
    .slice(question + 1, end)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const key = equals === -1 ? pair : pair.slice(0, equals);
      return equals !== -1 && SECRET_QUERY_PARAM.test(decodeKey(key)) ? `${key}=${REDACTED}` : pair;
    })
    .join('&');
  return `${text.slice(0, question + 1)}${redacted}${text.slice(end)}`;
}

function queryKeys(url: string): string[] {
  const question = url.indexOf('?');
  if (question === -1) return [];
  const hash = url.indexOf('#', question);
  const query = url.slice(question + 1, hash === -1 ? url.length : hash);
  return query.split('&').map((pair) => decodeKey(pair.split('=', 1)[0] ?? ''));
}

function decodeKey(key: string): string {
  try {
    return decodeURIComponent(key.replaceAll('+', ' '));
  } catch {
    return key;
  }
}
