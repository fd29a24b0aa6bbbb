import { z } from 'zod';
import { ConfigError } from '../../shared/configError.ts';
import { issuesFromZod } from '../../shared/configLayer.ts';

const percent = z.number().gt(0, 'must be above 0 (percent)').max(100, 'must be at most 100 (percent)');
const count = z.number().int().min(1);

/** resilience4j's CircuitBreakerConfig, with durations in milliseconds. */
export const circuitBreakerConfigSchema = z.strictObject({
  /** Names the breaker in errors, logs and metrics. */
  name: z.string().min(1).default('circuit-breaker'),
  failureRateThreshold: percent.default(50),
  slowCallRateThreshold: percent.default(100),
  /** Calls taking longer than this (strictly) are slow. */
  slowCallDurationThresholdMs: z.number().gt(0).default(60_000),
  permittedNumberOfCallsInHalfOpenState: count.default(10),
  slidingWindowType: z.enum(['COUNT_BASED', 'TIME_BASED']).default('COUNT_BASED'),
  /** Calls for COUNT_BASED, seconds for TIME_BASED. */
  slidingWindowSize: count.default(100),
  minimumNumberOfCalls: count.default(100),
  waitDurationInOpenStateMs: count.default(60_000),
  /** 0 waits in halfOpen until the permitted calls have completed. */
  maxWaitDurationInHalfOpenStateMs: z.number().int().min(0).default(0),
});

export type CircuitBreakerConfig = z.output<typeof circuitBreakerConfigSchema>;
/** What callers write: any key may be left out for its default. */
export type CircuitBreakerConfigInput = z.input<typeof circuitBreakerConfigSchema>;

export const circuitBreakerDefaults: CircuitBreakerConfig = Object.freeze(circuitBreakerConfigSchema.parse({}));

/**
 * Fills in defaults and validates; a bad or unknown key throws a ConfigError naming it,
 * e.g. `failureRateThreshold: must be at most 100 (percent); got 150 (from circuit breaker 'ib')`.
 */
export function parseCircuitBreakerConfig(input: unknown = {}, source?: string): CircuitBreakerConfig {
  const result = circuitBreakerConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const data = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  const from = source ?? `circuit breaker '${typeof data.name === 'string' ? data.name : 'circuit-breaker'}'`;
  throw new ConfigError(issuesFromZod(result.error, { data, sourceOf: () => from }));
}
