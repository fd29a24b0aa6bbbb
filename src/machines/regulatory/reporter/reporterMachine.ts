import { assign, setup, type PromiseActorLogic } from 'xstate';
import type { RenderedReport, ReportRequest } from '../../../regulatory/reportTypes.ts';
import type { Ack, SubmissionReceipt } from '../../../regulatory/transports/reportTransport.ts';
import { ackTimedOut, failureFrom, invalidReports } from './reporterFailure.ts';
import type { AwaitAckInput, FiledReport, ReporterContext, ReporterInput, ReporterOutput, SubmitInput, ValidateInput } from './reporterTypes.ts';

/** The I/O a reporter needs, injected by the actor layer (src/actors/regulatory). */
export type ReporterActors = {
  /** The jurisdiction's engine renders the request into report files. */
  render: PromiseActorLogic<RenderedReport[], ReportRequest>;
  /** Problems against the format's schema, one line each; empty when every report is valid. */
  validate: PromiseActorLogic<string[], ValidateInput>;
  /** Files one report (or finds it already filed) and resolves with the receipt. */
  submit: PromiseActorLogic<SubmissionReceipt, SubmitInput>;
  /** Resolves with the regulator's acknowledgement of a filed report. */
  awaitAck: PromiseActorLogic<Ack, AwaitAckInput>;
};

/**
 * One report job: generating → validating → submitting → awaitingAck, per rendered report, ending
 * acknowledged, rejected or failed. The machine decides; it never retries: a failure is reported
 * as data (permanent or not) and BullMQ's attempts and backoff do the retrying, so there is one
 * retry authority and one attempt count per job.
 */
export function createReporterMachine(actors: ReporterActors) {
  return setup({
    types: {
      context: {} as ReporterContext,
      input: {} as ReporterInput,
      output: {} as ReporterOutput,
    },
    actors,
    delays: {
      ackTimeout: ({ context }) => context.ackTimeoutMs,
    },
    guards: {
      moreReports: ({ context }) => context.index + 1 < context.reports.length,
    },
    actions: {
      nextReport: assign({ index: ({ context }) => context.index + 1, receipt: null }),
      recordError: assign({ failure: ({ event }) => failureFrom((event as { error?: unknown }).error) }),
      recordAckTimeout: assign({ failure: ({ context }) => ackTimedOut(current(context).id, context.ackTimeoutMs) }),
    },
  }).createMachine({
    id: 'reporter',
    context: ({ input }) => ({
      request: input.request,
      ackTimeoutMs: input.ackTimeoutMs,
      reports: [],
      index: 0,
      receipt: null,
      filed: [],
      failure: null,
      rejection: null,
    }),
    initial: 'generating',
    states: {
      generating: {
        invoke: {
          src: 'render',
          input: ({ context }) => context.request,
          onDone: [
            // Nothing reportable (e.g. no position above a reportable level) is a finished job.
            { guard: ({ event }) => event.output.length === 0, target: 'acknowledged' },
            { target: 'validating', actions: assign({ reports: ({ event }) => event.output }) },
          ],
          onError: { target: 'failed', actions: 'recordError' },
        },
      },
      validating: {
        invoke: {
          src: 'validate',
          input: ({ context }) => ({ request: context.request, reports: context.reports }),
          onDone: [
            { guard: ({ event }) => event.output.length > 0, target: 'failed', actions: assign({ failure: ({ event }) => invalidReports(event.output) }) },
            { target: 'submitting' },
          ],
          onError: { target: 'failed', actions: 'recordError' },
        },
      },
      submitting: {
        invoke: {
          src: 'submit',
          input: ({ context }) => ({ report: current(context) }),
          onDone: { target: 'awaitingAck', actions: assign({ receipt: ({ event }) => event.output }) },
          onError: { target: 'failed', actions: 'recordError' },
        },
      },
      awaitingAck: {
        invoke: {
          src: 'awaitAck',
          input: ({ context }) => ({ report: current(context), receipt: context.receipt!, timeoutMs: context.ackTimeoutMs }),
          onDone: [
            { guard: ({ event }) => event.output.status === 'rejected', target: 'rejected', actions: assign({ rejection: ({ event }) => event.output }) },
            { guard: 'moreReports', target: 'submitting', actions: [assign({ filed: ({ context, event }) => filedWith(context, event.output) }), 'nextReport'] },
            { target: 'acknowledged', actions: assign({ filed: ({ context, event }) => filedWith(context, event.output) }) },
          ],
          onError: { target: 'failed', actions: 'recordError' },
        },
        // Leaving the state stops the invoked wait, which aborts its signal.
        after: { ackTimeout: { target: 'failed', actions: 'recordAckTimeout' } },
      },
      acknowledged: { type: 'final' },
      rejected: { type: 'final' },
      failed: { type: 'final' },
    },
    output: ({ context }): ReporterOutput => {
      if (context.failure) return { outcome: 'failed', filed: context.filed, failure: context.failure };
      if (context.rejection) return { outcome: 'rejected', filed: context.filed, rejection: context.rejection };
      return { outcome: 'acknowledged', filed: context.filed };
    },
  });
}

export type ReporterMachine = ReturnType<typeof createReporterMachine>;

function filedWith(context: ReporterContext, ack: Ack): FiledReport[] {
  return [...context.filed, { reportId: current(context).id, receipt: context.receipt!, ack }];
}

function current(context: ReporterContext): RenderedReport {
  const report = context.reports[context.index];
  if (!report) throw new Error(`reporter has no report at index ${context.index}`);
  return report;
}
