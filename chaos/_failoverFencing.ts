import type { Redis } from 'ioredis';
import { namespaceKeys } from '../src/redis/namespaceKeys.ts';

/** A lease token issued to a node, and when (Redis's clock, epoch ms with microseconds). */
export interface Acquisition {
  nodeId: string;
  token: number;
  at: number;
}

/** Something a node did that only the lease holder may do: a broker message or a durable order write. */
export interface NodeAct {
  nodeId: string;
  at: number;
  what: string;
  /** How much earlier than `at` it may really have happened (its stamp's lag); 0 when `at` is exact. */
  slackMs?: number;
}

/**
 * The acquisition that makes an act by `nodeId` at `at` a split-brain act: the newest token issued
 * before it belongs to another node (another node acquired the lease after this node's latest
 * acquisition, and before the act), or no token had been issued at all. Null when the act was the
 * lease holder's. `acquisitions` must be in issue order.
 */
export function supersededBy(acquisitions: readonly Acquisition[], nodeId: string, at: number): Acquisition | 'never held' | null {
  const newest = holderAt(acquisitions, at);
  if (newest === null) return 'never held';
  return newest.nodeId === nodeId ? null : newest;
}

/** The newest acquisition at `at` (the lease holder then, expired or not), or null before the first. In issue order. */
export function holderAt(acquisitions: readonly Acquisition[], at: number): Acquisition | null {
  let newest: Acquisition | null = null;
  for (const acquisition of acquisitions) {
    if (acquisition.at > at) break;
    newest = acquisition;
  }
  return newest;
}

export interface SupersededAct {
  act: NodeAct;
  by: Acquisition | 'never held';
}

/**
 * The acts made after a newer token was issued, each with the acquisition that superseded it. An
 * act whose stamp may be late by up to `slackMs` counts only if it was superseded even at its
 * earliest possible moment; one superseded only at its stamp is `inFlight` (it may have left before).
 */
export function splitBrainActs(acquisitions: readonly Acquisition[], acts: readonly NodeAct[]): { found: SupersededAct[]; inFlight: SupersededAct[] } {
  const ordered = [...acquisitions].sort((a, b) => a.at - b.at);
  const found: SupersededAct[] = [];
  const inFlight: SupersededAct[] = [];
  for (const act of acts) {
    const by = supersededBy(ordered, act.nodeId, act.at);
    if (by === null) continue;
    if (supersededBy(ordered, act.nodeId, act.at - (act.slackMs ?? 0)) === null) inFlight.push({ act, by });
    else found.push({ act, by });
  }
  return { found, inFlight };
}

/** An order-hash write Redis carried out, by whom (from the connection's name) and when. */
export interface OrderWrite {
  /** Null: the connection had no `tw:<namespace>:<nodeId>` name. */
  nodeId: string | null;
  connection: string;
  at: number;
  command: string;
  key: string;
}

const SCRIPT_CALLS = new Set(['eval', 'evalsha', 'eval_ro', 'evalsha_ro', 'fcall', 'fcall_ro']);
const HASH_WRITES = new Set(['HSET', 'HMSET', 'HSETNX', 'HDEL', 'HINCRBY', 'HINCRBYFLOAT', 'DEL', 'UNLINK', 'RENAME', 'SET']);

/** "1796520279.576993" (MONITOR's seconds.microseconds) as epoch ms. */
const monitorMs = (time: string): number => Number(time) * 1_000;

/**
 * Watches the run's Redis with MONITOR, from outside the nodes: every lease token issued (the
 * acquire script's `SET <ns>:lease <nodeId>|<token>`) and every write Redis carried out on an
 * order hash (`<ns>:orders:order:*`), inside a script or not, attributed to the node whose named
 * connection (`tw:<ns>:<nodeId>`, learnt from CLIENT SETNAME as it passes and from CLIENT LIST)
 * sent the EVAL/EVALSHA. A refused (fenced) script writes nothing, so only executed writes count.
 */
export class LeaseMonitor {
  readonly acquisitions: Acquisition[] = [];
  readonly writes: OrderWrite[] = [];
  /** Lines seen, for the report (MONITOR really was watching). */
  lines = 0;
  private readonly names = new Map<string, string>();
  private readonly tokens = new Set<number>();
  private scriptSource: string | null = null;
  private readonly keys: ReturnType<typeof namespaceKeys>;
  private readonly orderKeyPrefix: string;
  private readonly namePrefix: string;
  private listTimer: NodeJS.Timeout | null = null;

  private constructor(
    private readonly monitor: Redis,
    private readonly admin: Redis,
    namespace: string,
  ) {
    this.keys = namespaceKeys(namespace);
    this.orderKeyPrefix = `${this.keys.ordersPrefix}:order:`;
    this.namePrefix = `tw:${namespace}:`;
  }

  /** `connect` makes a plain connection to the run's Redis (one becomes the MONITOR, one lists clients). */
  static async start(connect: (name: string) => Redis, namespace: string): Promise<LeaseMonitor> {
    const admin = connect('client-list');
    const monitor = await connect('monitor').monitor();
    const watch = new LeaseMonitor(monitor, admin, namespace);
    monitor.on('monitor', (time: string, args: string[], source: string) => watch.onCommand(time, args, source));
    await watch.listClients();
    watch.listTimer = setInterval(() => void watch.listClients().catch(() => undefined), 500);
    return watch;
  }

  /** The node a connection address belongs to, when it is a node's. */
  nodeOf(address: string): string | null {
    const name = this.names.get(address);
    return name?.startsWith(this.namePrefix) ? name.slice(this.namePrefix.length) : null;
  }

  async stop(): Promise<void> {
    if (this.listTimer) clearInterval(this.listTimer);
    this.monitor.disconnect();
    this.admin.disconnect();
  }

  private async listClients(): Promise<void> {
    const list = String(await this.admin.call('CLIENT', 'LIST'));
    for (const line of list.split('\n')) {
      const addr = /(?:^| )addr=(\S+)/.exec(line)?.[1];
      const name = /(?:^| )name=(\S*)/.exec(line)?.[1];
      // A name set since the last listing came through MONITOR already; an empty one tells nothing.
      if (addr && name && !this.names.has(addr)) this.names.set(addr, name);
    }
  }

  private onCommand(time: string, args: string[], source: string): void {
    this.lines += 1;
    const command = (args[0] ?? '').toUpperCase();
    if (source !== 'lua') {
      this.scriptSource = SCRIPT_CALLS.has(command.toLowerCase()) ? source : null;
      if (command === 'CLIENT' && (args[1] ?? '').toUpperCase() === 'SETNAME') this.names.set(source, args[2] ?? '');
      else if (command === 'HELLO') {
        const at = args.findIndex((a) => a.toUpperCase() === 'SETNAME');
        if (at > 0 && args[at + 1] !== undefined) this.names.set(source, args[at + 1]!);
      }
      if (HASH_WRITES.has(command)) this.noteWrite(time, command, args[1] ?? '', source);
      return;
    }
    if (command === 'SET' && args[1] === this.keys.lease) {
      const value = args[2] ?? '';
      const token = Number(value.slice(value.lastIndexOf('|') + 1));
      // The extend script sets the same value again after Redis lost it: not a new token.
      if (!this.tokens.has(token)) {
        this.tokens.add(token);
        this.acquisitions.push({ nodeId: value.slice(0, value.lastIndexOf('|')), token, at: monitorMs(time) });
      }
      return;
    }
    if (HASH_WRITES.has(command)) this.noteWrite(time, command, args[1] ?? '', this.scriptSource ?? 'lua');
  }

  private noteWrite(time: string, command: string, key: string, source: string): void {
    if (!key.startsWith(this.orderKeyPrefix)) return;
    this.writes.push({ nodeId: this.nodeOf(source), connection: this.names.get(source) ?? source, at: monitorMs(time), command, key });
  }
}
