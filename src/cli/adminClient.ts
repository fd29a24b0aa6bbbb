import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ActorNode } from '../admin/runtimeView.ts';
import { EXIT_FAILED, EXIT_USAGE, type CliDeps } from './cliDeps.ts';
import { errorMessage } from '../shared/errorMessage.ts';


const REQUEST_TIMEOUT_MS = 10_000;

const nonEmpty = (value: string | undefined): string | undefined => (value === undefined || value === '' ? undefined : value);

/** Flag, else TRADEWIRE_ADMIN_URL, else the local default port (TRADEWIRE_ADMIN_PORT or 7400). */
export function resolveAdminUrl(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  const chosen = nonEmpty(flag) ?? nonEmpty(env.TRADEWIRE_ADMIN_URL) ?? `http://127.0.0.1:${nonEmpty(env.TRADEWIRE_ADMIN_PORT) ?? 7400}`;
  let parsed: URL;
  try {
    parsed = new URL(chosen);
  } catch {
    throw new AdminUsageError(`invalid admin URL ${JSON.stringify(chosen)}; expected e.g. http://127.0.0.1:7400`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new AdminUsageError(`invalid admin URL ${JSON.stringify(chosen)}; it must start with http:// or https://`);
  }
  return chosen.replace(/\/+$/, '');
}

/** The operator token: `--token`, else TRADEWIRE_ADMIN_TOKEN. */
export function resolveAdminToken(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  return nonEmpty(flag) ?? nonEmpty(env.TRADEWIRE_ADMIN_TOKEN);
}

/** The operator token, required: a mutation without one would only be refused, so nothing is sent. */
export function requireAdminToken(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  const token = resolveAdminToken(flag, env);
  if (token === undefined) {
    throw new AdminUsageError('no operator token: set TRADEWIRE_ADMIN_TOKEN (or pass --token); changes go through the admin API, which needs it. Nothing was sent');
  }
  return token;
}

/**
 * A token for reads, which an admin API listening beyond loopback asks for: `--token`, else
 * TRADEWIRE_READ_TOKEN, else the operator's TRADEWIRE_ADMIN_TOKEN (it may read too).
 */
export function resolveReadToken(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  return nonEmpty(flag) ?? nonEmpty(env.TRADEWIRE_READ_TOKEN) ?? nonEmpty(env.TRADEWIRE_ADMIN_TOKEN);
}

/** The command line itself is wrong; nothing was sent. */
export class AdminUsageError extends Error {
  override readonly name = 'AdminUsageError';
}

export class AdminUnreachableError extends Error {
  override readonly name = 'AdminUnreachableError';

  constructor(readonly url: string, cause: unknown) {
    const reason = describeNetworkFailure(cause);
    super(`cannot reach the tradewire admin API at ${url} (${reason}). Is it running? Start it with \`tradewire start\`.`);
  }
}

/** The admin API answered with an error; `message` is the API's own explanation. */
export class AdminApiError extends Error {
  override readonly name = 'AdminApiError';

  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export async function fetchActorTree(baseUrl: string, token?: string): Promise<ActorNode> {
  return (await getJson(baseUrl, '/actors', token)) as ActorNode;
}

/** GETs an admin route, with the bearer token when there is one; resolves to the answer's JSON. */
export function getJson(baseUrl: string, path: string, token: string | undefined): Promise<unknown> {
  return request(baseUrl, path, { method: 'GET', headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
}

/** POSTs a JSON body to an admin route, with the bearer token when there is one; resolves to the answer's JSON. */
export function postJson(baseUrl: string, path: string, body: unknown, token: string | undefined): Promise<unknown> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  return request(baseUrl, path, { method: 'POST', headers, body: JSON.stringify(body) });
}

async function request(baseUrl: string, path: string, init: HttpInit): Promise<unknown> {
  let response: HttpAnswer;
  try {
    response = await send(`${baseUrl}${path}`, init);
  } catch (error) {
    throw new AdminUnreachableError(baseUrl, error);
  }
  const body = parseJson(response.text);
  if (response.status < 200 || response.status > 299) {
    const apiError = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    const message = typeof apiError?.message === 'string' ? apiError.message : `HTTP ${response.status} ${response.statusText}`.trim();
    const code = typeof apiError?.code === 'string' ? apiError.code : 'http_error';
    throw new AdminApiError(response.status, code, message);
  }
  if (body === undefined) {
    throw new AdminApiError(response.status, 'invalid_response', `${baseUrl} did not answer with JSON; is it a tradewire admin API?`);
  }
  return body;
}

interface HttpInit {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

interface HttpAnswer {
  status: number;
  statusText: string;
  text: string;
}

/**
 * One request on a connection of its own. node:http, not fetch: a CLI call makes one request, and
 * fetch's first use (undici and its WebAssembly parser) cost about as much CPU as the rest of the call.
 */
function send(url: string, init: HttpInit): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch (error) {
      reject(error);
      return;
    }
    const headers = init.body === undefined ? init.headers : { ...init.headers, 'content-length': String(Buffer.byteLength(init.body)) };
    const requestOf = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const outgoing = requestOf(target, { method: init.method, headers, agent: false, timeout: REQUEST_TIMEOUT_MS }, (incoming) => {
      let text = '';
      incoming.setEncoding('utf8');
      incoming.on('data', (chunk: string) => (text += chunk));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, statusText: incoming.statusMessage ?? '', text }));
      incoming.on('error', reject);
    });
    outgoing.on('timeout', () => outgoing.destroy(Object.assign(new Error('timeout'), { name: 'TimeoutError' })));
    outgoing.on('error', reject);
    outgoing.end(init.body);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function describeNetworkFailure(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `no answer within ${REQUEST_TIMEOUT_MS / 1000}s`;
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') return code;
  return errorMessage(error);
}

/** Maps any failure of a client call to a message on stderr and an exit code. */
export function reportFailure(error: unknown, deps: CliDeps): number {
  if (error instanceof AdminUsageError) {
    deps.err(`error: ${error.message}`);
    return EXIT_USAGE;
  }
  if (error instanceof AdminApiError) {
    deps.err(`error: ${error.message} (HTTP ${error.status} ${error.code})`);
    return EXIT_FAILED;
  }
  deps.err(`error: ${errorMessage(error)}`);
  return EXIT_FAILED;
}
