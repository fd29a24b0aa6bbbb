/** Armed crashes beyond this are dropped oldest first: a forgotten arm must not grow without bound. */
const MAX_ARMED = 10_000;

/**
 * Test-only fault injection for order actors (the chaos matrix's actor-crash fault): an armed order
 * actor throws inside its next action, so its supervisor restarts it mid-flight. Exists only when
 * `testing.faultHooks` is on; nothing in production holds one.
 */
export class OrderFaultHooks {
  private readonly armed = new Set<string>();

  /** The order's next action throws (the order need not be running yet: a fresh one crashes in its first). */
  arm(clientOrderId: string): void {
    this.armed.delete(clientOrderId);
    this.armed.add(clientOrderId);
    if (this.armed.size > MAX_ARMED) this.armed.delete(this.armed.values().next().value as string);
  }

  /** True exactly once after `arm`: the caller throws then. */
  takeCrash(clientOrderId: string): boolean {
    return this.armed.delete(clientOrderId);
  }

  get armedCount(): number {
    return this.armed.size;
  }
}
