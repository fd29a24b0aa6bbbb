export class RequestTimeoutError extends Error {
  constructor(readonly reqId: number, readonly timeoutMs: number) {
    super(`IB request ${reqId} got no answer within ${timeoutMs} ms`);
    this.name = 'RequestTimeoutError';
  }
}

export class IbRequestError extends Error {
  constructor(readonly reqId: number, readonly code: number, message: string) {
    super(`IB request ${reqId} failed with ${code}: ${message}`);
    this.name = 'IbRequestError';
  }
}

interface Pending<T> {
  items: T[];
  resolve(items: T[]): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * Matches IB's answers to requests by reqId. Each request collects items until its end
 * marker, fails on an error routed to its reqId, and times out rather than waiting forever.
 */
export class RequestCorrelator {
  private readonly pending = new Map<number, Pending<unknown>>();

  open<T>(reqId: number, timeoutMs: number): Promise<T[]> {
    if (this.pending.has(reqId)) throw new Error(`request id ${reqId} is already waiting for an answer`);
    return new Promise<T[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(reqId);
        reject(new RequestTimeoutError(reqId, timeoutMs));
      }, timeoutMs);
      timer.unref?.();
      this.pending.set(reqId, { items: [], resolve: resolve as (items: unknown[]) => void, reject, timer });
    });
  }

  item(reqId: number, item: unknown): void {
    this.pending.get(reqId)?.items.push(item);
  }

  end(reqId: number): void {
    const pending = this.pending.get(reqId);
    if (!pending) return;
    this.pending.delete(reqId);
    clearTimeout(pending.timer);
    pending.resolve(pending.items);
  }

  /** Returns whether a request owned the id. */
  fail(reqId: number, code: number, message: string): boolean {
    const pending = this.pending.get(reqId);
    if (!pending) return false;
    this.pending.delete(reqId);
    clearTimeout(pending.timer);
    pending.reject(new IbRequestError(reqId, code, message));
    return true;
  }

  /** The connection went away: nobody will answer these. */
  failAll(reason: string): void {
    for (const [reqId, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new IbRequestError(reqId, -1, reason));
    }
    this.pending.clear();
  }

  get size(): number {
    return this.pending.size;
  }
}
