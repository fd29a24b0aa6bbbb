import { z } from 'zod';
import { JURISDICTIONS } from './jurisdictions.ts';
import type { Jurisdiction } from '../reportTypes.ts';

const millis = z.number().int().min(0);
const path = z.string().min(1);

export const fileDropConfigSchema = z.strictObject({
  kind: z.literal('file'),
  outboxDir: path,
  inboxDir: path,
  pollIntervalMs: millis.min(10),
  /** Acknowledgement files younger than this are left for the next look (their writer may not be done). */
  settleMs: millis,
});

export const httpsEndpointConfigSchema = z.strictObject({
  kind: z.literal('https'),
  url: z.url({ protocol: /^https$/, error: 'must be an https:// URL' }),
  timeoutMs: millis.min(1),
  /** The NAME of the environment variable holding the bearer token: the token itself stays out of config files. */
  bearerTokenEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name, e.g. TRADEWIRE_CFTC_TOKEN').optional(),
  /** PEM file of a CA to trust for the endpoint, when it is not signed by a public CA. */
  caFile: path.optional(),
});

export const reportTransportConfigSchema = z.discriminatedUnion('kind', [fileDropConfigSchema, httpsEndpointConfigSchema]);

/** The `reports` section of the configuration (see README: Regulatory reports). */
export const reportsConfigSchema = z.strictObject({
  /** Take report jobs from the `reports` queue. */
  enabled: z.boolean(),
  /** Attempts per job, the first included; then `reports:dead`. */
  attempts: z.number().int().min(1).max(50),
  /** Delay before the first retry, doubled for each further one. */
  backoffMs: millis.min(1),
  /** How long to wait for a regulator's acknowledgement per attempt. */
  ackTimeoutMs: millis.min(1),
  /** How long one job may hold the exclusive right to submit a report. */
  claimMs: millis.min(1_000),
  concurrency: z.number().int().min(1).max(64),
  queueLockMs: millis.min(500),
  /** The circuit breaker in front of each jurisdiction's transport. */
  breaker: z.strictObject({
    failureRateThreshold: z.number().gt(0).max(100),
    slidingWindowSize: z.number().int().min(1),
    minimumNumberOfCalls: z.number().int().min(1),
    waitDurationInOpenStateMs: millis.min(1),
  }),
  /** Per jurisdiction, how its reports are filed; a jurisdiction without one is unsupported. */
  transports: z.strictObject(Object.fromEntries(JURISDICTIONS.map((j) => [j, reportTransportConfigSchema.optional()])) as Record<Jurisdiction, z.ZodOptional<typeof reportTransportConfigSchema>>),
});

export type ReportsConfig = z.output<typeof reportsConfigSchema>;
export type ReportTransportConfig = z.output<typeof reportTransportConfigSchema>;

/** The jurisdictions with a transport configured, in contract order. */
export function configuredTransports(config: ReportsConfig): Array<[Jurisdiction, ReportTransportConfig]> {
  return JURISDICTIONS.flatMap((j) => {
    const transport = config.transports[j];
    return transport ? [[j, transport] as [Jurisdiction, ReportTransportConfig]] : [];
  });
}
