import { rm, writeFile } from 'node:fs/promises';
import { NFA_UNSUPPORTED_REASON } from '../../../src/regulatory/nfa/nfaRefusal.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { runDlqReplay } from '../../../src/cli/actions/dlq.ts';
import { replayJobId } from '../../../src/queues/index.ts';
import { FileDropTransport } from '../../../src/regulatory/transports/fileDropTransport.ts';
import { HttpsTransport } from '../../../src/regulatory/transports/httpsTransport.ts';
import { PermanentTransportError, RetryableTransportError } from '../../../src/regulatory/transports/transportErrors.ts';
import { CountingTransport, PipelineKit } from './pipelineKit.ts';
import { dropDirs, filedReports, regulatorAnswering, type DropDirs } from './regulatorInbox.ts';
import { positionsRequest } from './testEngine.ts';
import { TEST_CA, TestEndpoint } from './testEndpoint.ts';
import { createMemoryLogger } from '../../admin/memoryLogger.ts';
import { FakeRuntimeView } from '../../admin/fakeRuntimeView.ts';
import { startAdminServer } from '../../../src/admin/index.ts';
import type { RuntimeView } from '../../../src/admin/runtimeView.ts';
import { waitUntil } from '../../support/waitUntil.ts';

let kit: PipelineKit;
let dirs: DropDirs | undefined;
let endpoint: TestEndpoint | undefined;
let regulator: { stop(): void } | undefined;
afterEach(async () => {
  regulator?.stop();
  await kit.cleanup();
  await endpoint?.close();
  await dirs?.remove();
  regulator = undefined;
  endpoint = undefined;
  dirs = undefined;
});

const ADMIN_TOKEN = 'pipeline-admin-token';

/**
 * `tradewire dlq replay <id>` as the CLI runs it: through an admin API whose runtime replays the
 * test's dead letters (its own prefix), as Runtime.useOperatorRedis does under a namespace.
 */
async function cliReplay(id: string): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const view: RuntimeView = new FakeRuntimeView();
  const dlq = kit.dlq();
  view.deadLetterQueues = () => ['reports'];
  view.replayDeadLetters = (_queue, deadLetterId) => (deadLetterId === undefined ? dlq.replayAll() : dlq.replay(deadLetterId));
  const server = await startAdminServer({ view, port: 0, token: ADMIN_TOKEN, logger: createMemoryLogger().logger });
  try {
    const code = await runDlqReplay(id, { url: server.url }, { out: (line) => out.push(line), err: (line) => err.push(line), env: { TRADEWIRE_ADMIN_TOKEN: ADMIN_TOKEN }, setExitCode: () => undefined });
    return { code, out, err };
  } finally {
    await server.close();
  }
}

async function deadLetterOf(jobId: string) {
  const dlq = kit.dlq();
  await waitUntil(async () => (await dlq.get(`reports:dead:${jobId}`)) !== undefined, `reports:dead:${jobId}`);
  return (await dlq.get(`reports:dead:${jobId}`))!;
}

async function completed(jobId: string) {
  await waitUntil(async () => (await kit.jobState(jobId)) === 'completed', `job ${jobId} to complete`);
  return (await kit.queue.getJob(jobId))!.returnvalue;
}

async function metricValue(name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = (await kit.registry.getMetricsAsJSON()).find((entry) => entry.name === name);
  const value = (metric?.values as Array<{ labels: Record<string, unknown>; value: number }> | undefined)?.find((entry) =>
    Object.entries(labels).every(([key, wanted]) => String(entry.labels[key]) === wanted),
  );
  return value?.value;
}

describe('reports pipeline: retry, dead letter, replay, filed exactly once', () => {
  it('file drop: an unwritable outbox is retried, dead-lettered, and `dlq replay` files the report once', async () => {
    kit = new PipelineKit();
    dirs = await dropDirs();
    await writeFile(dirs.outbox, 'a file where the outbox directory should be');
    const drop = new CountingTransport(new FileDropTransport({ outboxDir: dirs.outbox, inboxDir: dirs.inbox, pollIntervalMs: 10, settleMs: 20 }));
    regulator = regulatorAnswering(dirs);
    await kit.startService(drop);

    const jobId = await kit.enqueue(positionsRequest());
    const letter = await deadLetterOf(jobId);
    expect(letter).toMatchObject({ queue: 'reports', kind: 'attempts_exhausted', attemptsMade: 3, attempts: 3, payload: positionsRequest() });
    expect(letter.reason).toContain('could not write report TEST-positions-2025-03-03');
    expect(drop.submits).toBe(3);

    await rm(dirs.outbox);
    const replay = await cliReplay(`reports:dead:${jobId}`);
    expect(replay.code).toBe(0);
    expect(replay.out).toEqual([`replayed reports:dead:${jobId} as job ${replayJobId(jobId)}`]);
    const result = await completed(replayJobId(jobId));
    expect(result).toMatchObject({ outcome: 'acknowledged', filed: [{ reportId: 'TEST-positions-2025-03-03', alreadyFiled: false, ack: { status: 'accepted' } }] });
    expect(await filedReports(dirs)).toEqual(['TEST-positions-2025-03-03--POS_20250303_positions.txt']);

    // Replaying again submits nothing; the same request sent again under another job id files nothing new.
    expect((await cliReplay(`reports:dead:${jobId}`)).out[0]).toContain('was already replayed');
    await kit.queue.add('report', positionsRequest(), { jobId: 'resent-by-hand' });
    expect(await completed('resent-by-hand')).toMatchObject({ outcome: 'acknowledged', filed: [{ reportId: 'TEST-positions-2025-03-03' }] });
    expect(drop.submits).toBe(4);
    expect(await filedReports(dirs)).toHaveLength(1);

    expect(await metricValue('tradewire_report_transmissions_total', { jurisdiction: 'CFTC', outcome: 'retryable_failure' })).toBe(3);
    expect(await metricValue('tradewire_report_transmissions_total', { jurisdiction: 'CFTC', outcome: 'submitted' })).toBe(1);
    expect(await metricValue('tradewire_report_transmission_success_ratio', { jurisdiction: 'CFTC' })).toBe(0.25);
    const latency = (await kit.registry.getSingleMetricAsString('tradewire_report_transmission_seconds')).split('\n');
    expect(latency).toContain('tradewire_report_transmission_seconds_count{jurisdiction="CFTC"} 4');
    expect(await metricValue('tradewire_report_acks_total', { jurisdiction: 'CFTC', status: 'accepted' })).toBe(1);
  });

  it('file drop: a report submitted but never acknowledged is not submitted again by retries or the replay', async () => {
    kit = new PipelineKit();
    dirs = await dropDirs();
    const drop = new CountingTransport(new FileDropTransport({ outboxDir: dirs.outbox, inboxDir: dirs.inbox, pollIntervalMs: 5, settleMs: 20 }));
    await kit.startService(drop, { ackTimeoutMs: 40 });

    const jobId = await kit.enqueue(positionsRequest());
    const letter = await deadLetterOf(jobId);
    expect(letter.reason).toContain('no acknowledgement for report TEST-positions-2025-03-03');
    expect(letter.attemptsMade).toBe(3);
    expect(drop.submits).toBe(1);

    regulator = regulatorAnswering(dirs);
    await cliReplay(`reports:dead:${jobId}`);
    expect(await completed(replayJobId(jobId))).toMatchObject({ outcome: 'acknowledged' });
    expect(drop.submits).toBe(1);
    expect(await filedReports(dirs)).toHaveLength(1);
  });

  it('HTTPS: 503s are retried, dead-lettered, and the replay makes exactly one accepted POST', async () => {
    kit = new PipelineKit();
    endpoint = await TestEndpoint.start(true);
    let outage = true;
    endpoint.responder = (post, self) => (outage ? { status: 503, body: 'maintenance' } : self.fileOrConflict(post));
    await kit.startService(new HttpsTransport({ url: endpoint.url, bearerToken: 'tkn-123', timeoutMs: 2_000, ca: TEST_CA }));

    const jobId = await kit.enqueue(positionsRequest());
    const letter = await deadLetterOf(jobId);
    expect(letter.reason).toContain('HTTP 503');
    expect(endpoint.posts).toHaveLength(3);
    expect(endpoint.filed.size).toBe(0);

    outage = false;
    await cliReplay(`reports:dead:${jobId}`);
    expect(await completed(replayJobId(jobId))).toMatchObject({ outcome: 'acknowledged', filed: [{ reference: 'REF-1' }] });
    await kit.queue.add('report', positionsRequest(), { jobId: 'resent-by-hand' });
    await completed('resent-by-hand');
    expect(endpoint.posts).toHaveLength(4);
    expect([...endpoint.filed.keys()]).toEqual(['TEST-positions-2025-03-03']);
  });

  it('HTTPS: an answer lost to a timeout is retried under the same Idempotency-Key and counted as filed once', async () => {
    kit = new PipelineKit();
    endpoint = await TestEndpoint.start(false);
    let first = true;
    endpoint.responder = (post, self) => {
      const answer = self.fileOrConflict(post);
      if (!first) return answer;
      first = false;
      return 'hang';
    };
    await kit.startService(new HttpsTransport({ url: endpoint.url, timeoutMs: 150 }));
    const jobId = await kit.enqueue(positionsRequest());
    expect(await completed(jobId)).toMatchObject({ outcome: 'acknowledged', filed: [{ alreadyFiled: true }] });
    expect(endpoint.posts.map((post) => post.idempotencyKey)).toEqual(['TEST-positions-2025-03-03', 'TEST-positions-2025-03-03']);
    expect(endpoint.filed.size).toBe(1);
    expect(await metricValue('tradewire_report_transmissions_total', { jurisdiction: 'CFTC', outcome: 'already_filed' })).toBe(1);
  });

  it('logs each step of an HTTPS filing, and never the bearer token', async () => {
    kit = new PipelineKit();
    endpoint = await TestEndpoint.start(true);
    let failures = 1;
    endpoint.responder = (post, self) => (failures-- > 0 ? { status: 502, body: 'bad gateway' } : self.fileOrConflict(post));
    const { logger, rawLines } = createMemoryLogger();
    const token = 'tw-bearer-9d1c7e';
    await kit.startService(new HttpsTransport({ url: endpoint.url, bearerToken: token, timeoutMs: 2_000, ca: TEST_CA }), { logger });
    await completed(await kit.enqueue(positionsRequest()));
    expect(endpoint.posts.map((post) => post.authorization)).toEqual([`Bearer ${token}`, `Bearer ${token}`]);
    const messages = rawLines.map((line) => JSON.parse(line).message);
    expect(messages).toEqual(expect.arrayContaining(['report submission failed', 'report submitted', 'report accepted']));
    expect(rawLines.filter((line) => line.includes(token))).toEqual([]);
  });

  it('an open circuit breaker fails submissions fast without reaching the transport', async () => {
    kit = new PipelineKit();
    dirs = await dropDirs();
    const drop = new CountingTransport(new FileDropTransport({ outboxDir: dirs.outbox, inboxDir: dirs.inbox, settleMs: 20 }));
    kit.breaker.ref.send({ type: 'FORCE_OPEN' });
    await kit.startService(drop);
    const jobId = await kit.enqueue(positionsRequest());
    const letter = await deadLetterOf(jobId);
    expect(letter.reason).toMatch(/circuit breaker 'reports-CFTC' is forcedOpen/);
    expect(letter.attemptsMade).toBe(3);
    expect(drop.submits).toBe(0);
  });

  it('trips the breaker on transport outages', async () => {
    kit = new PipelineKit({ name: 'reports-CFTC', slidingWindowSize: 2, minimumNumberOfCalls: 2 });
    dirs = await dropDirs();
    const drop = new CountingTransport(new FileDropTransport({ outboxDir: dirs.outbox, inboxDir: dirs.inbox, settleMs: 20 }), 2, () => new RetryableTransportError('connection reset'));
    await kit.startService(drop);
    await deadLetterOf(await kit.enqueue(positionsRequest()));
    expect(kit.breaker.state).toBe('open');
    expect(drop.submits).toBe(2);
  });

  it('does not trip the breaker when the destination refuses particular reports', async () => {
    kit = new PipelineKit({ name: 'reports-CFTC', slidingWindowSize: 2, minimumNumberOfCalls: 2 });
    dirs = await dropDirs();
    const drop = new CountingTransport(new FileDropTransport({ outboxDir: dirs.outbox, inboxDir: dirs.inbox, settleMs: 20 }), 2, () => new PermanentTransportError('HTTP 422'));
    await kit.startService(drop);
    const letters = [
      await deadLetterOf(await kit.enqueue(positionsRequest({ reportDate: '2025-03-03' }))),
      await deadLetterOf(await kit.enqueue(positionsRequest({ reportDate: '2025-03-04' }))),
    ];
    expect(letters.map((letter) => [letter.kind, letter.reason])).toEqual([
      ['unrecoverable', 'HTTP 422'],
      ['unrecoverable', 'HTTP 422'],
    ]);
    expect(kit.breaker.state).toBe('closed');
  });
});

describe('reports pipeline: concurrency and shutdown', () => {
  it('two jobs rendering the same report submit it once: the second waits for the first, then finds it filed', async () => {
    kit = new PipelineKit();
    dirs = await dropDirs();
    regulator = regulatorAnswering(dirs);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const inner = new FileDropTransport({ outboxDir: dirs.outbox, inboxDir: dirs.inbox, pollIntervalMs: 10, settleMs: 20 });
    const held = new CountingTransport({ kind: inner.kind, target: inner.target, submit: async (report) => (await gate, inner.submit(report)), awaitAck: (receipt, options) => inner.awaitAck(receipt, options) });
    await kit.startService(held, { concurrency: 2 });
    await kit.queue.add('report', positionsRequest(), { jobId: 'first', attempts: 20, backoff: { type: 'fixed', delay: 10 } });
    await waitUntil(() => held.submits === 1, 'the first submission to start');
    await kit.queue.add('report', positionsRequest(), { jobId: 'second', attempts: 20, backoff: { type: 'fixed', delay: 10 } });
    await waitUntil(async () => (await kit.queue.getJob('second'))!.attemptsMade > 0, 'the second job to be turned away');
    release();
    expect(await completed('first')).toMatchObject({ outcome: 'acknowledged' });
    expect(await completed('second')).toMatchObject({ outcome: 'acknowledged' });
    expect(held.submits).toBe(1);
    expect((await kit.queue.getJob('second'))!.stacktrace!.join('\n')).toContain('is being submitted by another job right now');
    expect(await filedReports(dirs)).toHaveLength(1);
  });

  it('stopping the service does not wait out an acknowledgement: the job is left to retry, its filing kept', async () => {
    kit = new PipelineKit();
    dirs = await dropDirs();
    const service = await kit.startService(new FileDropTransport({ outboxDir: dirs.outbox, inboxDir: dirs.inbox, pollIntervalMs: 10, settleMs: 20 }), { ackTimeoutMs: 3_600_000 });
    const jobId = await kit.enqueue(positionsRequest(), { attempts: 3, backoffMs: 60_000 });
    await waitUntil(async () => (await service.ledger.entry('TEST-positions-2025-03-03')).receipt !== undefined, 'the submission');
    await service.stop();
    expect(await kit.jobState(jobId)).toBe('delayed');
    const job = (await kit.queue.getJob(jobId))!;
    expect(job.failedReason).toContain('reporter stopped before the report was acknowledged');
    expect(await filedReports(dirs)).toHaveLength(1);
  });
});

describe('reports pipeline: permanent failures go straight to reports:dead', () => {
  it('an invalid payload, with its validation errors, not retried', async () => {
    kit = new PipelineKit();
    dirs = await dropDirs();
    await kit.startService(new FileDropTransport({ outboxDir: dirs.outbox, inboxDir: dirs.inbox, settleMs: 20 }));
    const job = await kit.queue.add('report', { jurisdiction: 'SEC', reportDate: '2025-02-30', deadline: 'tomorrow', extra: 1 }, { attempts: 5 });
    const letter = await deadLetterOf(job.id!);
    expect(letter).toMatchObject({ kind: 'unrecoverable', attemptsMade: 1, attempts: 5 });
    expect(letter.reason).toBe(
      'invalid payload: jurisdiction: must be one of CFTC, NFA; type: required; reportDate: must be a calendar date YYYY-MM-DD; deadline: must be an ISO-8601 UTC timestamp, e.g. 2025-03-04T14:00:00Z; extra: unknown field',
    );
  });

  it('an unsupported report type, with the engine’s clear message', async () => {
    kit = new PipelineKit();
    dirs = await dropDirs();
    await kit.startService(new FileDropTransport({ outboxDir: dirs.outbox, inboxDir: dirs.inbox, settleMs: 20 }));
    const letter = await deadLetterOf(await kit.enqueue(positionsRequest({ type: 'swap_data' }), { attempts: 5, backoffMs: 5 }));
    expect(letter).toMatchObject({ kind: 'unrecoverable', attemptsMade: 1 });
    expect(letter.reason).toBe("CFTC report type 'swap_data' is not supported: the test engine renders positions, split_positions and quiet_day");
  });

  it('an NFA report (put on the queue past intake), saying the NFA takes none', async () => {
    kit = new PipelineKit();
    dirs = await dropDirs();
    await kit.startService(new FileDropTransport({ outboxDir: dirs.outbox, inboxDir: dirs.inbox, settleMs: 20 }));
    const job = await kit.queue.add('report', positionsRequest({ jurisdiction: 'NFA', type: 'form40' }), { attempts: 5 });
    const letter = await deadLetterOf(job.id!);
    expect(letter).toMatchObject({ kind: 'unrecoverable', attemptsMade: 1 });
    expect(letter.reason).toBe(`NFA report type 'form40' is not supported: ${NFA_UNSUPPORTED_REASON}`);
    expect(letter.reason).toMatch(/NFA takes no large trader position reports/);
  });

  it('a report that fails its format’s validation, with every problem, never submitted', async () => {
    kit = new PipelineKit();
    dirs = await dropDirs();
    const drop = new CountingTransport(new FileDropTransport({ outboxDir: dirs.outbox, inboxDir: dirs.inbox, settleMs: 20 }));
    await kit.startService(drop);
    const letter = await deadLetterOf(await kit.enqueue(positionsRequest({ params: { positions: [['ACC1', 1], ['ACC2', -3]] } })));
    expect(letter).toMatchObject({ kind: 'unrecoverable', attemptsMade: 1 });
    expect(letter.reason).toBe('report validation failed: TEST-positions-2025-03-03: line 2: quantity: must be 6 digits');
    expect(drop.submits).toBe(0);
  });

  it('a report the regulator rejects, with its reason', async () => {
    kit = new PipelineKit();
    dirs = await dropDirs();
    regulator = regulatorAnswering(dirs, { nak: 'E102 unknown reporting firm' });
    await kit.startService(new FileDropTransport({ outboxDir: dirs.outbox, inboxDir: dirs.inbox, pollIntervalMs: 10, settleMs: 20 }));
    const letter = await deadLetterOf(await kit.enqueue(positionsRequest()));
    expect(letter).toMatchObject({ kind: 'unrecoverable', attemptsMade: 1 });
    expect(letter.reason).toBe('report TEST-positions-2025-03-03 was rejected: E102 unknown reporting firm');
  });
});

describe('reports queue order', () => {
  it('runs the report with the earlier deadline first, whatever order they were added in', async () => {
    kit = new PipelineKit();
    dirs = await dropDirs();
    regulator = regulatorAnswering(dirs);
    const late = await kit.enqueue(positionsRequest({ reportDate: '2025-03-04', deadline: '2025-03-05T14:00:00Z' }));
    const early = await kit.enqueue(positionsRequest({ reportDate: '2025-03-03', deadline: '2025-03-04T14:00:00Z' }));
    const rendered: string[] = [];
    const engine = kit.engine;
    const recording = { jurisdiction: engine.jurisdiction, validate: engine.validate.bind(engine), render: async (request: Parameters<typeof engine.render>[0]) => (rendered.push(request.reportDate), engine.render(request)) };
    await kit.startService(new FileDropTransport({ outboxDir: dirs.outbox, inboxDir: dirs.inbox, pollIntervalMs: 10, settleMs: 20 }), { engine: recording, concurrency: 1 });
    await completed(late);
    await completed(early);
    expect(rendered).toEqual(['2025-03-03', '2025-03-04']);
  });
});
