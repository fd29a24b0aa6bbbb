/**
 * placeOrder messages handed to the connection but not yet written to its socket (paced, or held
 * while the connection is down), per clientOrderId. While one waits, a broker lookup that finds
 * nothing proves nothing: the order may arrive there a moment later.
 */
export class PlacementsInFlight {
  private readonly counts = new Map<string, number>();

  queued(clientOrderId: string): void {
    this.counts.set(clientOrderId, (this.counts.get(clientOrderId) ?? 0) + 1);
  }

  written(clientOrderId: string): void {
    const left = (this.counts.get(clientOrderId) ?? 1) - 1;
    if (left <= 0) this.counts.delete(clientOrderId);
    else this.counts.set(clientOrderId, left);
  }

  waiting(clientOrderId: string): boolean {
    return this.counts.has(clientOrderId);
  }
}
