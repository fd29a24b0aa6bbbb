import { UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Logger } from '../../log/logger.ts';
import type { MonitorEvent } from '../../machines/regulatory/monitor/monitorTypes.ts';
import { attachDeadLettering, type DeadLettering } from '../../queues/index.ts';
import { contractPositionSchema } from '../cftc/positions/reportingPositionBook.ts';
import { CLOSE_QUEUE_NAME, type CloseDeadLetters } from './closeDeadLetters.ts';
import { formatIssues } from '../../shared/zodIssues.ts';

const replaySchema = z.object({
  day: z.iso.date({ error: 'day must be a date YYYY-MM-DD' }),
  positions: z.array(contractPositionSchema),
});

/** `tree.send` as the worker needs it: whether the monitor took the event. */
export type DeliverToMonitor = (event: MonitorEvent) => 'delivered' | 'buffered' | 'dead_lettered' | 'unknown';

export interface CloseReplayWorker {
  close(): Promise<void>;
}

/**
 * Consumes `regulatory-close`, where `tradewire dlq replay regulatory-close:dead:<id>` puts a dead
 * letter back: each job becomes a CLOSE_REPLAY for the monitor, which runs it behind the closes
 * already waiting, with the positions of the original close. The job is done once the monitor
 * has the event; a replayed close that fails again is dead-lettered again by the monitor.
 */
export function startCloseReplayWorker(options: { redis: Redis; /** BullMQ key prefix (namespaceKeys().bullPrefix). */ prefix: string; logger: Logger; deliver: DeliverToMonitor; deadLetters: CloseDeadLetters }): CloseReplayWorker {
  const { logger } = options;
  // BullMQ blocks on its connection: it needs one of its own that never gives up on a command.
  const connection = options.redis.duplicate({ maxRetriesPerRequest: null });
  connection.on('error', (error: Error) => logger.debug('regulatory-close worker redis error', { error: error.message }));
  const worker = new Worker(
    CLOSE_QUEUE_NAME,
    async (job) => {
      const parsed = replaySchema.safeParse(job.data);
      if (!parsed.success) {
        throw new UnrecoverableError(`not a day close: ${formatIssues(parsed.error.issues, { style: 'dotted', root: 'data' }).join('; ')}`);
      }
      const delivery = options.deliver({ type: 'CLOSE_REPLAY', day: parsed.data.day, positions: parsed.data.positions });
      if (delivery !== 'delivered' && delivery !== 'buffered') throw new Error(`the regulatory monitor did not take the replayed close of ${parsed.data.day} (${delivery})`);
      logger.info('replayed day close handed to the regulatory monitor', { day: parsed.data.day, jobId: job.id });
      return { day: parsed.data.day, delivery };
    },
    { connection, prefix: options.prefix },
  );
  worker.on('error', (error) => logger.error('regulatory-close worker error', { error: error.message }));
  const deadLettering: DeadLettering = attachDeadLettering(worker, options.deadLetters.dlq, { logger });
  return {
    async close() {
      await worker.close();
      await deadLettering.idle();
      deadLettering.detach();
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
