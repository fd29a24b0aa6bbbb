import type { Job, Worker } from 'bullmq';
import { createSilentLogger, type Logger } from '../log/logger.ts';
import type { DeadLetterQueue, SweepResult } from './deadLetterQueue.ts';
import { isDecodeFailure } from './corruptJob.ts';
import { isFinalFailure } from './finalFailure.ts';
import { errorMessage } from '../shared/errorMessage.ts';

export interface DeadLetteringOptions {
  logger?: Logger;
  /** Sweep the failed set when attached (default true): picks up what a crash left behind. */
  sweepOnStart?: boolean;
  /** Also sweep periodically, so a move that failed on a Redis blip does not wait for a restart. Off by default. */
  sweepIntervalMs?: number;
}

export interface DeadLettering {
  /** The sweep run on attach (resolves to zeros when sweepOnStart is false). Never rejects. */
  readonly initialSweep: Promise<SweepResult>;
  /** Resolves when every move started so far has settled; await it after worker.close() on shutdown. */
  idle(): Promise<void>;
  /** Stops listening and sweeping. Moves in flight still finish. */
  detach(): void;
}

const NO_SWEEP: SweepResult = { scanned: 0, moved: 0, errors: 0 };

/**
 * Moves the worker's final failures to its dead-letter queue as they happen, and sweeps the
 * failed set on start. A move that fails is logged and left in the failed set for the next sweep.
 * A job the worker cannot even decode (corrupt fields) never fails: BullMQ only reports an
 * 'error' without a job, leaving it locked in `active`. Such an error starts a sweep, which
 * finds it there and dead-letters it.
 */
export function attachDeadLettering<DataType, ResultType>(
  worker: Worker<DataType, ResultType>,
  dlq: DeadLetterQueue,
  options: DeadLetteringOptions = {},
): DeadLettering {
  if (worker.name !== dlq.sourceQueue) throw new Error(`worker of queue ${worker.name} cannot dead-letter into ${dlq.name}`);
  const logger = options.logger ?? createSilentLogger();
  const inFlight = new Set<Promise<unknown>>();
  let attached = true;

  const track = <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work)).catch(() => undefined);
    return work;
  };

  const sweep = (): Promise<SweepResult> =>
    track(
      dlq.sweep().catch((error: unknown) => {
        logger.error('dead-letter sweep failed', { queue: dlq.sourceQueue, error: errorMessage(error) });
        return NO_SWEEP;
      }),
    );

  // A burst of decode errors (one per corrupt job, and again each time one is handed out) costs
  // one sweep in flight and at most one queued behind it, never one per error.
  let sweeping: Promise<SweepResult> | null = null;
  let sweepAgain = false;
  const sweepSoon = (): void => {
    if (sweeping) {
      sweepAgain = true;
      return;
    }
    sweeping = sweep().finally(() => {
      sweeping = null;
      if (sweepAgain && attached) {
        sweepAgain = false;
        sweepSoon();
      }
    });
  };

  const onError = (error: Error): void => {
    if (attached && isDecodeFailure(error)) sweepSoon();
  };

  const onFailed = (job: Job<DataType, ResultType> | undefined, error: Error): void => {
    // No job means BullMQ could not even load it; the sweep will find it in the failed set.
    if (!job || !attached || !isFinalFailure(job, error)) return;
    void track(
      dlq.moveToDead(job as Job, error?.message, error).catch((moveError: unknown) => {
        logger.error('dead-letter move failed; the job stays in the failed set for the next sweep', { queue: dlq.sourceQueue, jobId: job.id, error: errorMessage(moveError) });
      }),
    );
  };

  worker.on('failed', onFailed);
  worker.on('error', onError);
  const timer = options.sweepIntervalMs && options.sweepIntervalMs > 0 ? setInterval(() => void sweep(), options.sweepIntervalMs) : undefined;
  timer?.unref();

  const detach = (): void => {
    if (!attached) return;
    attached = false;
    worker.off('failed', onFailed);
    worker.off('error', onError);
    if (timer) clearInterval(timer);
    worker.off('closed', detach);
  };
  worker.on('closed', detach);

  return {
    initialSweep: options.sweepOnStart === false ? Promise.resolve(NO_SWEEP) : sweep(),
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    detach,
  };
}
