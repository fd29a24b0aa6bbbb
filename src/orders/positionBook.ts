/** Net positions per account and instrument, from fills this process has seen and broker positions. */
export class PositionBook {
  private readonly net = new Map<string, number>();

  private key(account: string, symbol: string): string {
    return `${account}\u0000${symbol}`;
  }

  position(account: string, symbol: string): number {
    return this.net.get(this.key(account, symbol)) ?? 0;
  }

  applyFill(account: string, symbol: string, side: 'BUY' | 'SELL', quantity: number): void {
    const key = this.key(account, symbol);
    this.net.set(key, (this.net.get(key) ?? 0) + (side === 'BUY' ? quantity : -quantity));
  }

  /** The broker's figure wins (reconciliation). */
  setPosition(account: string, symbol: string, quantity: number): void {
    this.net.set(this.key(account, symbol), quantity);
  }
}
