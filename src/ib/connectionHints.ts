/** Where a connection was going when it failed: hints name it. */
export interface GatewayAddress {
  host: string;
  port: number;
}

/** A connection's last error as the console shows it: IB's code when there is one, what kind of failure, and what usually causes it. */
export interface ExplainedConnectionError {
  code: number | null;
  message: string;
  cause: string;
  hint: string | null;
}

interface Failure {
  code: number | null;
  message: string;
  gateway: GatewayAddress | null;
  clientId: number | null;
}

interface HintEntry {
  cause: string;
  matches(failure: Failure): boolean;
  hint(failure: Failure): string;
}

const where = (gateway: GatewayAddress | null) => (gateway ? `${gateway.host}:${gateway.port}` : 'the gateway');
const mentions = (pattern: RegExp) => (failure: Failure) => pattern.test(failure.message);
const hasCode = (...codes: number[]) => (failure: Failure) => failure.code !== null && codes.includes(failure.code);

/**
 * The common causes of a failed IB connection, first match wins: socket errors (which @stoqey/ib
 * reports as code 502 with the system error in the text) before IB's own codes.
 */
export const CONNECTION_HINTS: readonly HintEntry[] = [
  {
    cause: 'connection_refused',
    matches: mentions(/ECONNREFUSED/),
    hint: ({ gateway }) => `connection refused on ${where(gateway)}: is IB Gateway running with the API enabled on that port?`,
  },
  {
    cause: 'unknown_host',
    matches: mentions(/ENOTFOUND|EAI_AGAIN/),
    hint: ({ gateway }) => `${gateway?.host ?? 'the gateway host'} does not resolve: check broker.ib.host (TRADEWIRE_IB_HOST) and the DNS of this machine`,
  },
  {
    cause: 'host_unreachable',
    matches: mentions(/EHOSTUNREACH|ENETUNREACH/),
    hint: ({ gateway }) => `no route to ${where(gateway)}: is the gateway's machine up, and is this one on a network that reaches it?`,
  },
  {
    cause: 'timeout',
    matches: mentions(/ETIMEDOUT|timed out/),
    hint: ({ gateway }) => `no answer from ${where(gateway)} in time: is the host reachable, and does a firewall let the port through? A gateway stuck at its login dialog accepts the socket but never answers`,
  },
  {
    cause: 'client_id_in_use',
    matches: (failure) => hasCode(326)(failure) || /client id \d+ in use/.test(failure.message),
    hint: ({ gateway, clientId, message }) =>
      `client id ${/client id (\d+)/.exec(message)?.[1] ?? clientId ?? '?'} is already connected to ${where(gateway)}: another program (or another tradewire) uses it; set broker.ib.clientId or add spare ids in broker.ib.extraClientIds`,
  },
  {
    cause: 'connection_closed',
    matches: mentions(/ECONNRESET|EPIPE|^disconnected/),
    hint: ({ gateway }) =>
      `${where(gateway)} closed the connection: IB Gateway restarts once a day, or it refuses API clients not in its "Trusted IPs" list; it reconnects on its own`,
  },
  {
    cause: 'protocol_error',
    matches: (failure) => hasCode(507)(failure) || /^protocol error/.test(failure.message),
    hint: ({ gateway }) => `${where(gateway)} sent something that is not the IB API (a bad message length): is that port IB Gateway's API port, not another service?`,
  },
  {
    cause: 'cannot_connect',
    matches: hasCode(502),
    hint: ({ gateway }) => `could not connect to ${where(gateway)} (502): check that IB Gateway or TWS runs, "Enable ActiveX and Socket Clients" is on, and the port matches its API settings`,
  },
  {
    cause: 'not_connected',
    matches: hasCode(504),
    hint: () => 'a message was sent while the socket was not connected (504): the connection is being re-established',
  },
  {
    cause: 'read_only_api',
    matches: mentions(/read-only/i),
    hint: ({ gateway }) =>
      `${where(gateway)} accepts the API in Read-Only mode, so every order is refused (321): untick "Read-Only API" in Configure, Settings, API, Settings`,
  },
  {
    cause: 'no_market_data_permission',
    matches: hasCode(354, 10089, 10090, 10167, 10168, 10186),
    hint: () =>
      'the IB login has no market-data subscription for that contract (10167: delayed data shown instead): subscribe in Client Portal; a paper account only has the live account\'s subscriptions once market-data sharing is on for it',
  },
  {
    cause: 'connectivity_lost',
    matches: hasCode(1100, 2110),
    hint: () => "IB Gateway lost its own connection to IB's servers: orders are held until IB reports it restored (1101/1102); check the gateway machine's internet connection if it lasts",
  },
  {
    cause: 'half_open',
    matches: mentions(/half-open/),
    hint: () => 'the socket stopped answering heartbeats (half-open): a network drop or a frozen gateway; it reconnects on its own',
  },
  {
    cause: 'breaker_open',
    matches: mentions(/circuit breaker open/),
    hint: () => 'connection attempts kept failing, so the breaker pauses them for a while: the errors before it say why',
  },
];

/**
 * A connection's last error, as the IB connection machine words it (`502: connect ECONNREFUSED
 * 127.0.0.1:4002`, `client id 7 in use`, `timed out`, …): its code, its cause and a hint from
 * CONNECTION_HINTS, or cause `other` and no hint for something the table does not know.
 */
export function explainConnectionError(text: string, context: { gateway: GatewayAddress | null; clientId: number | null }): ExplainedConnectionError {
  const coded = /^(-?\d+): ([\s\S]*)$/.exec(text);
  const failure: Failure = { code: coded ? Number(coded[1]) : null, message: coded ? coded[2]! : text, ...context };
  const entry = CONNECTION_HINTS.find((candidate) => candidate.matches(failure));
  return { code: failure.code, message: failure.message, cause: entry?.cause ?? 'other', hint: entry ? entry.hint(failure) : null };
}
