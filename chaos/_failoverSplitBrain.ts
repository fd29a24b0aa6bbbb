import type { ConnectionRecord, OrderMessageRecord } from '../src/sim/index.ts';
import { splitBrainActs, type Acquisition, type NodeAct, type OrderWrite } from './_failoverFencing.ts';
import { attributeConnections, type IbConnectedLine } from './_failoverSends.ts';

export interface SplitBrainInput {
  connections: readonly ConnectionRecord[];
  messages: readonly OrderMessageRecord[];
  ibLines: readonly IbConnectedLine[];
  /** Simulator connection -> node, from the sockets (SocketOwners). */
  sockets: ReadonlyMap<number, string>;
  acquisitions: readonly Acquisition[];
  writes: readonly OrderWrite[];
  /** Every token each node logged getting: MONITOR must have seen each, or it cannot vouch for the order of events. */
  logged: readonly { nodeId: string; token: number }[];
  /** How late the simulator's stamp of a message at `at` may be (see LoopLag); absent: exact. */
  stampSlack?: (at: number) => number;
}

export interface SplitBrainVerdict {
  /** Broker messages sent by a node after another node got a newer token. */
  sends: number;
  /** Order-hash writes Redis carried out for a node after another node got a newer token. */
  writes: number;
  /** One `split_brain:` line per act. */
  findings: string[];
  /** Messages stamped after a newer token but within their stamp's lag of it: they may have left before (not counted). */
  inFlight: string[];
  /** What made the judgement itself unsure (unattributed messages or writes, conflicting attributions, missed tokens). */
  problems: string[];
  /** Sessions attributed to a node. */
  sessions: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Split brain from outside the nodes: each broker message is attributed to the node whose session
 * sent it, each order write to the node whose Redis connection asked for it, and each is checked
 * against the lease tokens Redis issued: an act after another node's newer acquisition is one.
 */
export function judgeSplitBrain(input: SplitBrainInput): SplitBrainVerdict {
  const problems: string[] = [];
  const { owner, conflicts } = attributeConnections(input.connections, input.ibLines, input.sockets);
  problems.push(...conflicts);
  const sends: NodeAct[] = [];
  for (const message of input.messages) {
    const nodeId = owner.get(message.connectionId);
    const what = `${message.type}${message.intent ? `(${message.intent})` : ''} ${message.orderRef ?? ''} (client id ${message.clientId}, message #${message.seq}, ${message.outcome})`;
    if (nodeId === undefined) problems.push(`broker message ${what} on simulator connection ${message.connectionId}, which no node's session was`);
    else sends.push({ nodeId, at: message.at, what, slackMs: input.stampSlack?.(message.at) ?? 0 });
  }
  const writes: NodeAct[] = [];
  for (const write of input.writes) {
    if (write.nodeId === null) problems.push(`order write ${write.command} ${write.key} from Redis connection ${write.connection}, which is no node's`);
    else writes.push({ nodeId: write.nodeId, at: write.at, what: `${write.command} ${write.key}` });
  }
  for (const { nodeId, token } of input.logged) {
    if (!input.acquisitions.some((a) => a.token === token && a.nodeId === nodeId)) problems.push(`${nodeId} logged lease token ${token}, which MONITOR never saw issued`);
  }
  const describe = (by: Acquisition | 'never held') => (by === 'never held' ? 'before any token was issued' : `after ${by.nodeId} got token ${by.token} at ${iso(by.at)}`);
  const badSends = splitBrainActs(input.acquisitions, sends);
  const badWrites = splitBrainActs(input.acquisitions, writes);
  const findings = [
    ...badSends.found.map(({ act, by }) => `split_brain: ${act.nodeId} sent ${act.what} at ${iso(act.at)}, ${describe(by)}`),
    ...badWrites.found.map(({ act, by }) => `split_brain: ${act.nodeId} wrote ${act.what} at ${iso(act.at)}, ${describe(by)}`),
  ];
  const inFlight = badSends.inFlight.map(({ act, by }) => `${act.nodeId}'s ${act.what} stamped ${iso(act.at)} (up to ${act.slackMs} ms late), ${describe(by)}`);
  return { sends: badSends.found.length, writes: badWrites.found.length, findings, inFlight, problems, sessions: owner.size };
}
