import type { ConnectionRecord } from '../src/sim/index.ts';
import { connectionsOf } from './_redisClientKill.ts';

/** A node's `ib connected` log line: its client id and when the node logged it. */
export interface IbConnectedLine {
  nodeId: string;
  clientId: number;
  at: number;
}

/** How far apart the simulator's "accepted" and the node's `ib connected` may be and still be one session. */
export const ATTRIBUTION_WINDOW_MS = 3_000;

/**
 * Which node each accepted simulator connection was: its `ib connected` line with the same client
 * id, the nearest in time to when the simulator accepted it (each line names one connection,
 * nearest pairs first). `seen` (from the sockets themselves, see SocketOwners) wins when it knows;
 * a disagreement between the two is returned as a conflict.
 */
export function attributeConnections(
  connections: readonly ConnectionRecord[],
  lines: readonly IbConnectedLine[],
  seen: ReadonlyMap<number, string>,
): { owner: Map<number, string>; conflicts: string[] } {
  const accepted = connections.filter((c) => c.status === 'accepted' && c.startedAt !== undefined);
  const pairs: { connection: ConnectionRecord; line: number; gap: number }[] = [];
  for (const connection of accepted) {
    lines.forEach((line, index) => {
      const gap = Math.abs(line.at - connection.startedAt!);
      if (line.clientId === connection.clientId && gap <= ATTRIBUTION_WINDOW_MS) pairs.push({ connection, line: index, gap });
    });
  }
  pairs.sort((a, b) => a.gap - b.gap);
  const byLog = new Map<number, string>();
  const used = new Set<number>();
  for (const pair of pairs) {
    if (byLog.has(pair.connection.connectionId) || used.has(pair.line)) continue;
    byLog.set(pair.connection.connectionId, lines[pair.line]!.nodeId);
    used.add(pair.line);
  }
  const owner = new Map(byLog);
  const conflicts: string[] = [];
  for (const [connectionId, nodeId] of seen) {
    const logged = byLog.get(connectionId);
    if (logged !== undefined && logged !== nodeId) conflicts.push(`simulator connection ${connectionId}: its socket was ${nodeId}'s, its ib connected line ${logged}'s`);
    owner.set(connectionId, nodeId);
  }
  return { owner, conflicts };
}

/**
 * The simulator connections' owners as the kernel knows them: the node process whose socket has
 * the connection's remote port as its local port (`ss`), looked up while the connection is open.
 */
export class SocketOwners {
  readonly seen = new Map<number, string>();

  constructor(private readonly simPort: number) {}

  /** Looks up the open accepted connections not known yet among the given node processes. */
  async refresh(connections: readonly ConnectionRecord[], nodes: readonly { nodeId: string; pid: number }[]): Promise<void> {
    const unknown = connections.filter((c) => c.status === 'accepted' && c.closedAt === undefined && !this.seen.has(c.connectionId));
    if (unknown.length === 0) return;
    const byPort = new Map<number, string>();
    for (const node of nodes) {
      for (const local of await connectionsOf(node.pid, this.simPort).catch(() => [] as string[])) {
        byPort.set(Number(local.slice(local.lastIndexOf(':') + 1)), node.nodeId);
      }
    }
    for (const connection of unknown) {
      const nodeId = byPort.get(connection.remotePort);
      if (nodeId !== undefined) this.seen.set(connection.connectionId, nodeId);
    }
  }
}
