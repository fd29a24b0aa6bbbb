import type { Redis } from 'ioredis';
import { BreakRegistry } from '../src/orders/breakRegistry.ts';
import { namespaceKeys } from '../src/redis/namespaceKeys.ts';
import type { AdminAnswer, AdminClient } from './_admin.ts';
import { sleep } from './_time.ts';

/**
 * `POST /resume` as an operator sends it after a Redis state loss: while the runtime is still
 * recovering (409) or unreachable, it is asked again until `timeoutMs`.
 */
export async function resumeIntake(admin: AdminClient, reason: string, timeoutMs: number): Promise<AdminAnswer> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await admin.call('/resume', { json: { reason } });
    const retry = answer.status === 0 || answer.status === 409 || answer.status === 503;
    if (!retry || Date.now() >= deadline) return answer;
    await sleep(250);
  }
}

const ORDER_REF = /orderRef ([^\s,)]+)/;

/**
 * The operator's part after a Redis wipe: the broker still has the executions of orders whose
 * records the wipe took, so reconciliation raises an `unknown_fill` break for each instrument and
 * locks it. The operator has checked them (they are this run's own orders, recorded before the
 * wipe) and clears those breaks, as `tradewire order clear-break <symbol>` does. Any other break is
 * left in place and reported.
 */
export class WipeBreakClearer {
  /** Order ids the runtime had recorded when a wipe took its records. */
  readonly erased = new Set<string>();
  cleared = 0;
  private readonly reported = new Set<string>();

  constructor(
    private readonly redis: Redis,
    private readonly note: (line: string) => void,
  ) {}

  async sweep(): Promise<void> {
    if (this.erased.size === 0) return;
    const registry = new BreakRegistry(this.redis, namespaceKeys().orderBreaks);
    await registry.refresh();
    for (const found of registry.breaks) {
      const orderRef = ORDER_REF.exec(found.detail)?.[1];
      if (found.kind === 'unknown_fill' && orderRef !== undefined && this.erased.has(orderRef)) {
        if (await registry.clear(found.symbol)) this.cleared += 1;
        continue;
      }
      const key = `${found.symbol} ${found.kind} ${found.detail}`;
      if (!this.reported.has(key)) {
        this.reported.add(key);
        this.note(`reconciliation break left in place: ${key}`);
      }
    }
  }
}
