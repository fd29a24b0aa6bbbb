import { createActor, fromPromise, SimulatedClock, waitFor } from 'xstate';
import { describe, expect, it } from 'vitest';
import { createReporterMachine, type ReporterActors } from '../../../src/machines/regulatory/reporter/reporterMachine.ts';
import type { ReporterOutput } from '../../../src/machines/regulatory/reporter/reporterTypes.ts';
import type { RenderedReport, ReportRequest } from '../../../src/regulatory/reportTypes.ts';
import { UnsupportedReportError } from '../../../src/regulatory/reportTypes.ts';
import type { Ack, SubmissionReceipt } from '../../../src/regulatory/transports/reportTransport.ts';
import { PermanentTransportError, RetryableTransportError } from '../../../src/regulatory/transports/transportErrors.ts';
import { positionsRequest, TestReportEngine } from './testEngine.ts';

const engine = new TestReportEngine();
const receiptFor = (report: RenderedReport): SubmissionReceipt => ({ reportId: report.id, transport: 'file', reference: report.fileName, submittedAt: '2025-03-03T20:00:00.000Z', alreadyFiled: false });
const accepted = (reportId: string): Ack => ({ reportId, status: 'accepted', receivedAt: '2025-03-03T20:01:00.000Z' });

interface Fakes {
  render?: (request: ReportRequest) => Promise<RenderedReport[]>;
  validate?: (reports: RenderedReport[]) => string[];
  submit?: (report: RenderedReport) => Promise<SubmissionReceipt>;
  awaitAck?: (report: RenderedReport, signal: AbortSignal) => Promise<Ack>;
}

function run(fakes: Fakes = {}, request: ReportRequest = positionsRequest()) {
  const clock = new SimulatedClock();
  const submitted: string[] = [];
  const aborted: string[] = [];
  const actors: ReporterActors = {
    render: fromPromise(({ input }) => (fakes.render ?? ((r) => engine.render(r)))(input)),
    validate: fromPromise(async ({ input }) => (fakes.validate ?? ((reports) => reports.flatMap((r) => engine.validate(r))))(input.reports)),
    submit: fromPromise(async ({ input }) => {
      submitted.push(input.report.id);
      return (fakes.submit ?? (async (r) => receiptFor(r)))(input.report);
    }),
    awaitAck: fromPromise(({ input, signal }) => {
      signal.addEventListener('abort', () => aborted.push(input.report.id));
      return (fakes.awaitAck ?? (async (r) => accepted(r.id)))(input.report, signal);
    }),
  };
  const actor = createActor(createReporterMachine(actors), { clock, input: { request, ackTimeoutMs: 60_000 } });
  const done = new Promise<ReporterOutput>((resolve, reject) => actor.subscribe({ complete: () => resolve(actor.getSnapshot().output!), error: reject }));
  actor.start();
  return { actor, clock, done, submitted, aborted };
}

const never = () => new Promise<never>(() => undefined);

describe('reporter machine', () => {
  it('generates, validates, submits and ends acknowledged with the receipt and ack of each report', async () => {
    const { done, submitted } = run({}, positionsRequest({ type: 'split_positions', params: { positions: [['A1', 1], ['B2', 2]] } }));
    const output = await done;
    expect(output.outcome).toBe('acknowledged');
    expect(submitted).toEqual(['TEST-positions-a-2025-03-03', 'TEST-positions-b-2025-03-03']);
    expect(output.filed.map((filed) => [filed.reportId, filed.ack.status])).toEqual([
      ['TEST-positions-a-2025-03-03', 'accepted'],
      ['TEST-positions-b-2025-03-03', 'accepted'],
    ]);
  });

  it('ends acknowledged with nothing filed when the engine renders no report', async () => {
    const { done, submitted } = run({}, positionsRequest({ type: 'quiet_day' }));
    expect(await done).toEqual({ outcome: 'acknowledged', filed: [] });
    expect(submitted).toEqual([]);
  });

  it('fails permanently with every validation problem, submitting nothing', async () => {
    const { done, submitted } = run({}, positionsRequest({ params: { positions: [['TOOLONGACCOUNT', 1], ['OK', -5]] } }));
    const output = await done;
    expect(output).toMatchObject({ outcome: 'failed', failure: { permanent: true } });
    if (output.outcome !== 'failed') throw new Error('expected failure');
    expect(output.failure.issues).toEqual(['line 1: must be 14 characters, is 20', 'line 1: quantity: must be 6 digits', 'line 2: quantity: must be 6 digits']);
    expect(output.failure.message).toContain('line 2: quantity: must be 6 digits');
    expect(submitted).toEqual([]);
  });

  it('fails permanently with the engine’s message for an unsupported report type', async () => {
    const output = await run({}, positionsRequest({ type: 'swap_data' })).done;
    expect(output).toMatchObject({ outcome: 'failed', failure: { permanent: true, message: expect.stringContaining("CFTC report type 'swap_data' is not supported") } });
    expect(new UnsupportedReportError('CFTC', 'x', 'y').name).toBe('UnsupportedReportError');
  });

  it('reports a transport failure as retryable or permanent as the error says', async () => {
    const retryable = await run({ submit: async () => Promise.reject(new RetryableTransportError('503')) }).done;
    const permanent = await run({ submit: async () => Promise.reject(new PermanentTransportError('400')) }).done;
    const plain = await run({ submit: async () => Promise.reject(new Error('ECONNRESET')) }).done;
    expect(retryable).toMatchObject({ outcome: 'failed', failure: { permanent: false, message: '503' } });
    expect(permanent).toMatchObject({ outcome: 'failed', failure: { permanent: true, message: '400' } });
    expect(plain).toMatchObject({ outcome: 'failed', failure: { permanent: false, message: 'ECONNRESET' } });
  });

  it('ends rejected with the regulator’s reason', async () => {
    const output = await run({ awaitAck: async (r) => ({ reportId: r.id, status: 'rejected', reason: 'bad firm id', receivedAt: 'x' }) }).done;
    expect(output).toMatchObject({ outcome: 'rejected', rejection: { reason: 'bad firm id' }, filed: [] });
  });

  it('fails retryably when no acknowledgement comes within ackTimeoutMs, and stops waiting', async () => {
    const { actor, clock, done, aborted } = run({ awaitAck: never });
    await waitFor(actor, (snapshot) => snapshot.matches('awaitingAck'));
    clock.increment(59_999);
    expect(actor.getSnapshot().value).toBe('awaitingAck');
    clock.increment(1);
    const output = await done;
    expect(output).toMatchObject({ outcome: 'failed', failure: { permanent: false, message: expect.stringContaining('no acknowledgement for report TEST-positions-2025-03-03 within 60000 ms') } });
    expect(aborted).toEqual(['TEST-positions-2025-03-03']);
  });
});

describe('reporter machine graph', () => {
  it('has the documented states, three of them final', async () => {
    const { reporterGraphMachine } = await import('../../../src/machines/regulatory/reporter/reporterGraph.ts');
    const states = reporterGraphMachine().root.states;
    expect(Object.keys(states)).toEqual(['generating', 'validating', 'submitting', 'awaitingAck', 'acknowledged', 'rejected', 'failed']);
    expect(Object.values(states).filter((state) => state.type === 'final').map((state) => state.key)).toEqual(['acknowledged', 'rejected', 'failed']);
  });
});
