import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../log/logger.ts';
import { ORDER_QUEUE_NAME, orderJobPriority, parseOrderJob, type OrderJobInput } from './schema/index.ts';
import type { QuoteSource } from '../machines/orders/algorithms/quotes.ts';
import { roundToTick } from '../machines/orders/algorithms/chasePrice.ts';
import { tickSizeFor } from '../instruments/defaultFutures.ts';
import { errorMessage } from '../shared/errorMessage.ts';

export interface DemoStrategyOptions {
  redis: Redis;
  /** Prices to place limits near the market (without them, limits are placed far away and chases skipped). */
  quotes?: QuoteSource;
  logger: Logger;
  account: string;
  intervalMs: number;
  /** BullMQ key prefix of the runtime's `orders` queue (namespaceKeys().bullPrefix). */
  prefix: string;
}

/**
 * A newcomer's view of the whole path: every interval it puts an order on the `orders` queue,
 * cycling a market buy and sell (which fill), a resting limit that it cancels a round later, a
 * limit-chase buy (repriced to the touch, crossing at its deadline) and a two-slice TWAP sell, so
 * the demo account stays flat over a cycle.
 */
export class DemoStrategy {
  private readonly queue: Queue;
  private timer: NodeJS.Timeout | null = null;
  private round = 0;
  private readonly runId = Date.now().toString(36);
  private restingLimit: string | null = null;

  constructor(private readonly options: DemoStrategyOptions) {
    this.queue = new Queue(ORDER_QUEUE_NAME, { connection: options.redis, prefix: options.prefix });
    this.queue.on('error', (error: Error) => options.logger.debug('demo strategy queue error', { error: error.message }));
  }

  start(): void {
    this.options.logger.info('demo strategy submitting orders', { intervalMs: this.options.intervalMs, account: this.options.account });
    this.timer = setInterval(() => void this.tick(), this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.queue.close();
  }

  private async tick(): Promise<void> {
    this.round += 1;
    const id = `demo-${this.runId}-${this.round}`;
    const jobs: OrderJobInput[] = [];
    if (this.restingLimit) {
      jobs.push({ type: 'cancel', clientOrderId: this.restingLimit });
      this.restingLimit = null;
    }
    const base = { account: this.options.account, instrument: { symbol: 'ES' }, strategy: 'demo' } as const; // the month ES's contract policy trades now
    const last = this.options.quotes?.touch('ES')?.last;
    const tick = tickSizeFor('ES');
    switch (this.round % 5) {
      case 1:
        jobs.push({ ...base, clientOrderId: id, side: 'BUY', quantity: 1, orderType: 'MKT' });
        break;
      case 2:
        jobs.push({ ...base, clientOrderId: id, side: 'SELL', quantity: 1, orderType: 'MKT', riskReducing: true });
        break;
      case 3:
        // Below the market (within the price collar), so it rests until the next round cancels it.
        jobs.push({ ...base, clientOrderId: id, side: 'BUY', quantity: 1, orderType: 'LMT', limitPrice: last ? roundToTick(last * 0.98, tick, 'BUY') : 1_000 });
        this.restingLimit = id;
        break;
      case 4:
        if (!last) break;
        jobs.push({
          ...base,
          clientOrderId: id,
          side: 'BUY',
          quantity: 2,
          orderType: 'LMT',
          limitPrice: roundToTick(last * 0.995, tick, 'BUY'),
          algorithm: { kind: 'limitChase', repriceEveryMs: 1_000, deadlineMs: Math.max(1_000, this.options.intervalMs), atDeadline: 'cross' },
        });
        break;
      default:
        if (!last) break;
        jobs.push({ ...base, clientOrderId: id, side: 'SELL', quantity: 2, orderType: 'MKT', algorithm: { kind: 'twap', slices: 2, durationMs: Math.max(2_000, this.options.intervalMs) } });
    }
    try {
      for (const job of jobs) {
        const parsed = parseOrderJob(job);
        await this.queue.add('demo', job, parsed.ok ? { priority: orderJobPriority(parsed.job) } : {});
      }
    } catch (error) {
      this.options.logger.warn('demo strategy could not enqueue', { error: errorMessage(error) });
    }
  }
}
