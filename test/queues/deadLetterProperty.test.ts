import fc from 'fast-check';
import type { Job } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { attachDeadLettering, type DeadLettering, type SweepResult } from '../../src/queues/index.ts';
import { finalOutcomes, QueueTestKit, type Outcome } from './queueTestKit.ts';

type Step = { kind: 'jobs'; outcomes: Outcome[] } | { kind: 'crash' } | { kind: 'restart' } | { kind: 'sweep' };

const outcome = fc.constantFrom<Outcome>('succeed', 'failThenSucceed', 'failForever', 'unrecoverable');
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.array(outcome, { minLength: 1, maxLength: 4 }).map((outcomes) => ({ kind: 'jobs' as const, outcomes })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'crash' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'sweep' as const }) },
);

const ATTEMPTS = 2;

/**
 * Random job outcomes interleaved with crashes (the listener gone, so failures stay in the
 * failed set), restarts (listener back, sweep on start) and sweeps from a second process
 * running concurrently with the worker. After a final restart, every job is completed or
 * dead-lettered, exactly once, and counted exactly once.
 */
async function run(steps: Step[]): Promise<void> {
  const kit = new QueueTestKit();
  try {
    const worker = kit.worker();
    const dlq = kit.dlq();
    const otherProcess = kit.dlq({ onDeadLetter: (_queue, _reason, record) => kit.deadLetters.push(record) });
    const sweeps: Promise<SweepResult>[] = [];
    let lettering: DeadLettering | undefined = attachDeadLettering(worker, dlq);
    const letterings = [lettering];
    const expected = new Map<string, Outcome>();

    for (const current of steps) {
      if (current.kind === 'jobs') {
        const done = finalOutcomes(worker, current.outcomes.length);
        const jobs: Job[] = [];
        for (const [n, result] of current.outcomes.entries()) jobs.push(await kit.add(n, result, ATTEMPTS));
        for (const [index, job] of jobs.entries()) expected.set(job.id!, current.outcomes[index]!);
        await done;
      } else if (current.kind === 'crash') {
        lettering?.detach();
        lettering = undefined;
      } else if (current.kind === 'restart') {
        lettering?.detach();
        lettering = attachDeadLettering(worker, dlq);
        letterings.push(lettering);
      } else {
        sweeps.push(otherProcess.sweep());
      }
    }
    lettering?.detach();
    const final = attachDeadLettering(worker, dlq);
    letterings.push(final);
    await final.initialSweep;
    await Promise.all(sweeps);
    for (const each of letterings) await each.idle();

    const completed = (await kit.queue.getJobs(['completed'], 0, -1)).map((job) => job.id!).sort();
    const dead = (await dlq.list(0, 1000)).map((record) => record.jobId).sort();
    const shouldComplete = [...expected].filter(([, result]) => result === 'succeed' || result === 'failThenSucceed').map(([id]) => id).sort();
    const shouldDie = [...expected].filter(([, result]) => result === 'failForever' || result === 'unrecoverable').map(([id]) => id).sort();

    expect(completed).toEqual(shouldComplete);
    expect(dead).toEqual(shouldDie);
    expect(kit.deadLetters.map((record) => record.jobId).sort()).toEqual(shouldDie);
    expect(await kit.queue.getJobCountByTypes('failed')).toBe(0);
    for (const record of await dlq.list(0, 1000)) {
      expect(record.attemptsMade).toBe(expected.get(record.jobId) === 'unrecoverable' ? 1 : ATTEMPTS);
    }
  } finally {
    await kit.cleanup();
  }
}

describe('dead-lettering property', () => {
  it('every job ends completed or dead-lettered exactly once, whatever the crash and sweep points', async () => {
    await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 6 }), run), { numRuns: 25 });
  }, 25_000);
});
