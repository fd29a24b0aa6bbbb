import { parseLogLine } from './_logLine.ts';
import { spawnTradewire, type Spawned } from './_process.ts';
import { sleep } from './_time.ts';

/** What a node's log lines say about its lease and its broker sessions, with the node's own timestamps. */
export interface NodeLogFacts {
  /** `active: this node holds the lease; starting capabilities`: the token and when. */
  acquisitions: { token: number; at: number }[];
  /** `ib connected`: the IB client id a session got, and when the node logged it. */
  ibConnected: { clientId: number; at: number }[];
  /** `lease lost: stepping down to standby`. */
  steppedDown: { reason: string; at: number }[];
}

/** One `tradewire start` child process of the run: a slot (1..3) and a generation, so every spawn has its own node id. */
export class FailoverNode {
  readonly facts: NodeLogFacts = { acquisitions: [], ibConnected: [], steppedDown: [] };
  adminUrl: string | null = null;
  /** SIGSTOPped and not yet continued. */
  paused = false;
  /** Sent SIGTERM or SIGKILL: leaving, whatever it still answers. */
  leaving = false;
  ready = false;
  readonly spawned: Spawned;

  constructor(
    readonly slot: number,
    readonly generation: number,
    readonly nodeId: string,
    env: Record<string, string>,
    onLine: (node: FailoverNode, line: string) => void,
  ) {
    this.spawned = spawnTradewire(['start'], { ...env, TRADEWIRE_NODE_ID: nodeId }, (line) => {
      this.read(line);
      onLine(this, line);
    });
  }

  get pid(): number {
    return this.spawned.child.pid ?? -1;
  }

  get exited(): boolean {
    return this.spawned.child.exitCode !== null || this.spawned.child.signalCode !== null;
  }

  /** Running, answering and staying: a node an operator's client may send requests to. */
  get up(): boolean {
    return this.ready && !this.paused && !this.leaving && !this.exited && this.adminUrl !== null;
  }

  kill9(): void {
    this.leaving = true;
    this.spawned.child.kill('SIGKILL');
  }

  pause(): void {
    this.paused = true;
    this.spawned.child.kill('SIGSTOP');
  }

  resume(): void {
    this.spawned.child.kill('SIGCONT');
    this.paused = false;
  }

  terminate(): void {
    this.leaving = true;
    this.spawned.child.kill('SIGTERM');
  }

  /** Resolves with the exit code, or null after `timeoutMs` (then it is killed). */
  async waitExit(timeoutMs: number): Promise<number | null | 'timeout'> {
    const timer = sleep(timeoutMs).then(() => 'timeout' as const);
    const outcome = await Promise.race([this.spawned.exited, timer]);
    if (outcome === 'timeout') {
      if (this.paused) this.resume();
      this.spawned.child.kill('SIGKILL');
      await this.spawned.exited;
    }
    return outcome;
  }

  /** `GET /active`: true only on the node running the capabilities; false on a standby or no answer. */
  async isActive(timeoutMs = 250): Promise<boolean> {
    if (!this.adminUrl || this.exited) return false;
    try {
      const response = await fetch(`${this.adminUrl}/active`, { signal: AbortSignal.timeout(timeoutMs) });
      await response.arrayBuffer();
      return response.status === 200;
    } catch {
      return false;
    }
  }

  lastLines(n: number): string[] {
    return this.spawned.lines.slice(-n);
  }

  private read(line: string): void {
    const entry = parseLogLine(line);
    if (!entry) return;
    const message = String(entry.message ?? '');
    const at = typeof entry.timestamp === 'string' ? Date.parse(entry.timestamp) : Date.now();
    const admin = /^admin listening on (http:\/\/\S+)$/.exec(message);
    if (admin) this.adminUrl = admin[1]!;
    else if (message === 'ready') this.ready = true;
    else if (message.startsWith('active: this node holds the lease')) this.facts.acquisitions.push({ token: Number(entry.fencing), at });
    else if (message === 'ib connected') this.facts.ibConnected.push({ clientId: Number(entry.clientId), at });
    else if (message.startsWith('lease lost: stepping down')) this.facts.steppedDown.push({ reason: String(entry.reason ?? ''), at });
  }
}

/**
 * The run's nodes: three slots, each always holding one configured node (a killed or stopped one
 * is replaced by the next generation). Every node ever started is kept, for the checks at the end.
 */
export class FailoverCluster {
  readonly all: FailoverNode[] = [];
  readonly slots: (FailoverNode | null)[];
  private readonly generations: number[];

  constructor(
    readonly size: number,
    private readonly env: Record<string, string>,
    private readonly onLine: (node: FailoverNode, line: string) => void,
  ) {
    this.slots = Array.from({ length: size }, () => null);
    this.generations = Array.from({ length: size }, () => 0);
  }

  /** Starts the slot's next generation and resolves once it is ready (as a standby, or active). */
  async start(slot: number, timeoutMs = 60_000): Promise<FailoverNode> {
    this.generations[slot] = this.generations[slot]! + 1;
    const node = new FailoverNode(slot + 1, this.generations[slot]!, `node-${slot + 1}-g${this.generations[slot]}`, this.env, this.onLine);
    this.slots[slot] = node;
    this.all.push(node);
    await Promise.race([
      node.spawned.waitFor(/"message":"ready"/, timeoutMs),
      node.spawned.exited.then((code) => {
        throw new Error(`${node.nodeId} exited (${code}) before it was ready; last lines:\n${node.lastLines(20).join('\n')}`);
      }),
    ]);
    return node;
  }

  byId(nodeId: string): FailoverNode | undefined {
    return this.all.find((node) => node.nodeId === nodeId);
  }

  /** Nodes ready and not paused, leaving or gone. */
  up(): FailoverNode[] {
    return this.slots.filter((node): node is FailoverNode => node !== null && node.up);
  }

  /**
   * Nodes a client that knows nothing of the faults may send to: every configured node that has
   * said where its admin API listens and has not exited (a paused or dying one included).
   */
  configured(): FailoverNode[] {
    return this.slots.filter((node): node is FailoverNode => node !== null && node.ready && node.adminUrl !== null && !node.exited);
  }

  /** The nodes answering `/active` with 200 now (one, when all is well). */
  async activeNodes(): Promise<FailoverNode[]> {
    const candidates = this.slots.filter((node): node is FailoverNode => node !== null && !node.paused && !node.exited);
    const answers = await Promise.all(candidates.map((node) => node.isActive()));
    return candidates.filter((_, i) => answers[i]);
  }

  /**
   * Polls every other live node's `/active` every `pollMs` until one that is not `previous`
   * answers 200; resolves with it and the moment it answered, or null after `timeoutMs`.
   */
  async waitForNewActive(previous: FailoverNode, timeoutMs: number, pollMs = 20): Promise<{ node: FailoverNode; at: number } | null> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const round = Date.now();
      const others = this.slots.filter((node): node is FailoverNode => node !== null && node !== previous && !node.paused && !node.exited && node.adminUrl !== null);
      const answered = await Promise.all(others.map(async (node) => ((await node.isActive(200)) ? { node, at: Date.now() } : null)));
      const first = answered.filter((a): a is { node: FailoverNode; at: number } => a !== null).sort((a, b) => a.at - b.at)[0];
      if (first) return first;
      await sleep(Math.max(0, pollMs - (Date.now() - round)));
    }
    return null;
  }

  /** Every slot holds a ready node that is neither paused nor leaving, and exactly one answers `/active`. */
  async healthy(): Promise<FailoverNode | null> {
    if (this.slots.some((node) => node === null || !node.up)) return null;
    const active = await this.activeNodes();
    return active.length === 1 ? active[0]! : null;
  }

  async stopAll(): Promise<void> {
    await Promise.all(
      this.all.map(async (node) => {
        if (node.exited) return;
        if (node.paused) node.resume();
        node.terminate();
        await node.waitExit(15_000);
      }),
    );
  }
}
