import { z } from 'zod';

const isoTime = z.iso.datetime({ offset: true });

export const connectionLastErrorSchema = z.object({
  code: z.number().int().nullable().describe('IB’s message code (502, 1100, 326, …); null for a socket error or a timeout'),
  message: z.string(),
  at: isoTime.describe('When the connection recorded it'),
  cause: z.string().describe('What kind of failure: `connection_refused`, `timeout`, `client_id_in_use`, `connectivity_lost`, …'),
  hint: z.string().nullable().describe('What usually causes it, and what to check; null when nothing is known about it'),
});

export const connectionSchema = z.object({
  id: z.string().describe('The connection actor: `ib`, `ib-2`, …'),
  gateway: z.object({ host: z.string(), port: z.number().int() }).nullable().describe('The gateway it uses now (the primary, or a backup after a failover)'),
  clientId: z.number().int().nullable(),
  accounts: z.array(z.string()).describe('The managed accounts IB reported at the handshake'),
  accountType: z.enum(['PAPER', 'LIVE']).nullable().describe('From the accounts (paper accounts start with DU or DF); null until they are known'),
  health: z.string().describe('`healthy`, `degraded` (a data farm broken) or `ibServerLost` while connected; otherwise the state (`connecting`, `backoff`, …)'),
  state: z.string().describe('The connection machine’s top-level state'),
  dataFarms: z.array(z.object({ name: z.string(), ok: z.boolean() })).describe('The data farms IB reported broken since the connection started, and whether each is back'),
  lastError: connectionLastErrorSchema.nullable(),
  breaker: z.object({ state: z.string() }).nullable().describe('The circuit breaker in front of connection attempts (`closed`, `open`, `halfOpen`)'),
  pacing: z.object({
    ratePerSecond: z.number().describe('Outbound messages per second allowed now (lowered after a pacing violation)'),
    burst: z.number(),
    queued: z.number().int().describe('Outbound messages waiting for their turn'),
  }),
});

export const connectionsViewSchema = z
  .object({
    node: z.object({
      role: z.enum(['active', 'standby']),
      nodeId: z.string(),
      namespace: z.string(),
      fencingToken: z.number().int().nullable(),
      activeNodeId: z.string().nullable(),
    }),
    connections: z.array(connectionSchema).describe('Empty on a standby: only the active node connects to IB'),
  })
  .meta({ id: 'Connections', description: 'This node’s place in its namespace and its IB connections' });

export type ConnectionView = z.output<typeof connectionSchema>;
export type ConnectionLastError = z.output<typeof connectionLastErrorSchema>;
