import { z } from 'zod';

const isoTime = z.iso.datetime({ offset: true });

export const reportsViewSchema = z
  .object({
    nextDeadline: z.object({ report: z.string(), due: isoTime }).nullable().describe('The earliest deadline of a report not filed yet, or of the next day close’s; null when nothing is due'),
    filings: z
      .array(
        z.object({
          id: z.string().describe('The job on the `reports` queue'),
          report: z.string().describe('Jurisdiction and report type, e.g. `CFTC large-trader`'),
          date: z.string().describe('The report date, YYYY-MM-DD'),
          status: z.string().describe('`waiting`, `active`, `delayed`, `filed`, `failed`, `dead`, …'),
          filedAt: isoTime.nullable(),
          acknowledgement: z.string().nullable().describe('The regulator’s acknowledgement (accepted or rejected, with its note), or null before one'),
        }),
      )
      .describe('The last 50 filings, newest first'),
    transports: z.array(
      z.object({
        name: z.string().describe('Jurisdiction and transport, e.g. `CFTC (file)`'),
        health: z.string().describe('From its circuit breaker: `healthy` (closed), `down` (open), `recovering` (half open); `unknown` where the breaker does not run'),
        lastError: z.string().nullable().describe('The last failure of a filing through it, among the recent ones'),
      }),
    ),
  })
  .meta({ id: 'Reports', description: 'Regulatory filings: the next deadline, recent filings, transports' });

export type ReportsView = z.output<typeof reportsViewSchema>;
export type FilingRow = ReportsView['filings'][number];
export type TransportRow = ReportsView['transports'][number];
