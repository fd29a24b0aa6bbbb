import type { ConnectionRecord, Execution } from '../src/sim/index.ts';
import { holderAt, type Acquisition } from './_failoverFencing.ts';

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * For each broker execution nobody published on `fills`: when it happened, under which IB client
 * id, and which node was the lease holder then with which session client ids (and whether one was
 * TWS's master client, which alone is told of other client ids' executions). For a failure's
 * report: it says where an unbooked execution fell.
 */
export function unbookedExecutions(input: {
  executions: readonly Execution[];
  published: ReadonlyMap<string, unknown>;
  acquisitions: readonly Acquisition[];
  connections: readonly ConnectionRecord[];
  owners: ReadonlyMap<number, string>;
  masterClientId: number;
}): string[] {
  const ordered = [...input.acquisitions].sort((a, b) => a.at - b.at);
  const lines: string[] = [];
  for (const execution of input.executions) {
    if (input.published.has(execution.execId)) continue;
    const at = execution.time;
    const holder = holderAt(ordered, at);
    const what = `execution ${execution.execId} (${execution.orderRef}, ${execution.qty} ${execution.symbol}) at ${iso(at)} under client id ${execution.clientId}`;
    if (holder === null) {
      lines.push(`${what}: no lease had been issued`);
      continue;
    }
    const sessions = input.connections
      .filter((c) => c.status === 'accepted' && input.owners.get(c.connectionId) === holder.nodeId && c.startedAt! <= at && (c.closedAt === undefined || c.closedAt > at))
      .map((c) => c.clientId!);
    const seen = sessions.includes(execution.clientId) || sessions.includes(input.masterClientId);
    lines.push(
      `${what}: ${holder.nodeId} held the lease (token ${holder.token} from ${iso(holder.at)}) with session client id(s) ${sessions.join(', ') || 'none'}${seen ? '' : ` (neither ${execution.clientId} nor the master ${input.masterClientId}: IB tells it nothing of this execution)`}`,
    );
  }
  return lines;
}
