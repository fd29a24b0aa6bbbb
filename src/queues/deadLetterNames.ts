/**
 * Names and ids of dead letters. BullMQ forbids ':' in queue names and custom job ids, yet the
 * contract is a queue literally named `<queue>:dead`. We get exactly that Redis key space by
 * opening a BullMQ queue named `dead` under the prefix `<prefix>:<queue>`:
 * its keys are `<prefix>:<queue>:dead:*`, the keys a queue named `<queue>:dead` would have.
 */

export const DEAD_SUFFIX = 'dead';

/** `orders` → `orders:dead`: the name operators see and the CLI prints. */
export function deadLetterQueueName(sourceQueue: string): string {
  return `${sourceQueue}:${DEAD_SUFFIX}`;
}

/** The BullMQ prefix under which the `dead` queue of `sourceQueue` lives. */
export function deadLetterPrefix(prefix: string, sourceQueue: string): string {
  return `${prefix}:${sourceQueue}`;
}

/** The public id of a dead letter: `orders:dead:42`. It names its queue, so the CLI needs no --queue. */
export function deadLetterId(sourceQueue: string, sourceJobId: string): string {
  return `${deadLetterQueueName(sourceQueue)}:${sourceJobId}`;
}

/**
 * The BullMQ job id inside `<queue>:dead`: a pure function of queue and job id, so moving the
 * same job twice hits the same id and BullMQ keeps the first. Encoded because BullMQ rejects
 * integer-looking ids and most ids containing ':'.
 */
export function deadJobId(sourceQueue: string, sourceJobId: string): string {
  return `${sourceQueue}-${encodeURIComponent(sourceJobId)}`;
}

/** The id a replay gets in the source queue: fresh (never the original id) and the same for every replay of one dead letter. */
export function replayJobId(sourceJobId: string): string {
  return `replay-${encodeURIComponent(sourceJobId)}`;
}

export interface ParsedDeadLetterId {
  queue: string;
  jobId: string;
}

/** `orders:dead:42` → { queue: 'orders', jobId: '42' }; undefined for anything else. Job ids may contain ':'. */
export function parseDeadLetterId(id: string): ParsedDeadLetterId | undefined {
  const first = id.indexOf(':');
  if (first <= 0) return undefined;
  const marker = `:${DEAD_SUFFIX}:`;
  if (id.slice(first, first + marker.length) !== marker) return undefined;
  const jobId = id.slice(first + marker.length);
  if (jobId === '') return undefined;
  return { queue: id.slice(0, first), jobId };
}

/** BullMQ's own rule, checked early so bad CLI input gets a clear message instead of a BullMQ throw. */
export function isValidQueueName(name: string): boolean {
  return name.length > 0 && !name.includes(':') && name.trim() === name;
}
