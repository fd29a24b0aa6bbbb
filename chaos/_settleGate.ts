/** How long fills that stay unpublished after every order ended are waited for before the run judges. */
const PUBLICATION_WAIT_MS = 10_000;

/**
 * When a run has settled: every order has ended, and the executions not yet published on `fills`
 * are none, or have stopped changing for a while (what is still unpublished then will stay so).
 */
export class SettleGate {
  private lastUnpublished = -1;
  private quietSince = Date.now();

  settled(pending: number, unpublished: number): boolean {
    if (pending > 0 || unpublished !== this.lastUnpublished) {
      this.lastUnpublished = unpublished;
      this.quietSince = Date.now();
    }
    return pending === 0 && (unpublished === 0 || Date.now() - this.quietSince > PUBLICATION_WAIT_MS);
  }
}
