import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../log/logger';
import { ORDER_QUEUE_NAME, orderJobPriority, parseOrderJob, type OrderJobInput } from './schema';

export interface DemoStrategyOptions {
  redis: Redis;
  logger: Logger;
  account: string;
  intervalMs: number;
  prefix?: string;
}

/**
 * A newcomer's view of the whole path: every interval it puts an order on the `orders` queue,
 * cycling market buys and sells (which fill) and a resting limit that it cancels a round later.
 */
export class DemoStrategy {
  private readonly queue: Queue;
  private timer: NodeJS.Timeout | null = null;
  private round = 0;
  private readonly runId = Date.now().toString(36);
  private restingLimit: string | null = null;

  constructor(private readonly options: DemoStrategyOptions) {
    this.queue = new Queue(ORDER_QUEUE_NAME, { connection: options.redis, ...(options.prefix ? { prefix: options.prefix } : {}) });
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
    const base = { account: this.options.account, instrument: { symbol: 'ES', expiry: '202703' }, quantity: 1, strategy: 'demo' } as const;
    switch (this.round % 3) {
      case 1:
        jobs.push({ ...base, clientOrderId: id, side: 'BUY', orderType: 'MKT' });
        break;
      case 2:
        jobs.push({ ...base, clientOrderId: id, side: 'SELL', orderType: 'MKT', riskReducing: true });
        break;
      default:
        // Far below the market, so it rests until the next round cancels it.
        jobs.push({ ...base, clientOrderId: id, side: 'BUY', orderType: 'LMT', limitPrice: 1_000 });
        this.restingLimit = id;
    }
    try {
      for (const job of jobs) {
        const parsed = parseOrderJob(job);
        await this.queue.add('demo', job, parsed.ok ? { priority: orderJobPriority(parsed.job) } : {});
      }
    } catch (error) {
      this.options.logger.warn('demo strategy could not enqueue', { error: error instanceof Error ? error.message : String(error) });
    }
  }
}
