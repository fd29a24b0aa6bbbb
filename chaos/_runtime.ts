import { spawnTradewire, type Spawned } from './_process.ts';

/** The runtime as a child process, started, killed and restarted by a chaos run; one incarnation at a time. */
export class RuntimeProcess {
  private current: Spawned | null = null;
  private admin: string | null = null;
  incarnations = 0;

  constructor(
    private readonly env: Record<string, string>,
    /** Every log line of every incarnation. */
    private readonly onLine: (line: string) => void = () => {},
  ) {}

  /**
   * Starts an incarnation and resolves once it is active (`active: capabilities started`). After a
   * kill -9 the new incarnation is first `ready` as a standby, until the dead one's lease expires:
   * its orders (and the test hooks the faults use) do not run yet.
   */
  async start(timeoutMs = 30_000): Promise<void> {
    this.admin = null;
    const spawned = spawnTradewire(['start'], this.env, (line) => {
      const admin = /admin listening on (http:\/\/[^"\s]+)/.exec(line);
      if (admin) this.admin = admin[1]!;
      this.onLine(line);
    });
    this.current = spawned;
    this.incarnations += 1;
    await Promise.race([
      spawned.waitFor(/"message":"active: capabilities started"/, timeoutMs),
      spawned.exited.then((code) => {
        throw new Error(`the runtime exited (${code}) before it was active; last lines:\n${spawned.lines.slice(-20).join('\n')}`);
      }),
    ]);
  }

  get pid(): number {
    const pid = this.current?.child.pid;
    if (pid === undefined) throw new Error('the runtime is not running');
    return pid;
  }

  get running(): boolean {
    return this.current !== null && this.current.child.exitCode === null && this.current.child.signalCode === null;
  }

  /** The admin API's base URL of the running incarnation. */
  get adminUrl(): string {
    if (!this.admin) throw new Error('the runtime has not said where its admin API listens');
    return this.admin;
  }

  lastLines(n: number): string[] {
    return this.current?.lines.slice(-n) ?? [];
  }

  async kill9(): Promise<void> {
    const current = this.current;
    if (!current || !this.running) return;
    current.child.kill('SIGKILL');
    await current.exited;
  }

  /** A graceful stop, then SIGKILL if it does not end within `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    const current = this.current;
    if (!current || !this.running) return;
    current.child.kill('SIGTERM');
    const timer = setTimeout(() => current.child.kill('SIGKILL'), graceMs);
    await current.exited;
    clearTimeout(timer);
  }
}
