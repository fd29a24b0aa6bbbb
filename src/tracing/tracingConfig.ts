import { redactUrl } from '../log/redactUrl.ts';

/** Tracing as the standard OpenTelemetry variables configure it: off unless an OTLP endpoint is set. */
export interface TracingConfig {
  /** Where spans are POSTed (OTLP/HTTP, JSON). */
  tracesUrl: string;
  serviceName: string;
}

/** A tracing variable that is set but unusable: the process refuses to start and names it. */
export class TracingConfigError extends Error {
  override readonly name = 'TracingConfigError';
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable} ${problem}`);
  }
}

export const DEFAULT_SERVICE_NAME = 'tradewire';

/**
 * The traces endpoint as the OTLP exporter specification resolves it: the signal's own variable is
 * the full URL; the generic one is a base that `/v1/traces` is appended to. Null: tracing is off.
 */
export function tracingConfigFromEnv(env: Readonly<Record<string, string | undefined>>): TracingConfig | null {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return null;
  const signal = present(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  const base = present(env.OTEL_EXPORTER_OTLP_ENDPOINT);
  if (signal === undefined && base === undefined) return null;
  const tracesUrl =
    signal !== undefined ? httpUrl('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', signal) : `${httpUrl('OTEL_EXPORTER_OTLP_ENDPOINT', base!).replace(/\/+$/, '')}/v1/traces`;
  const serviceName = env.OTEL_SERVICE_NAME;
  if (serviceName !== undefined && serviceName.trim() === '') throw new TracingConfigError('OTEL_SERVICE_NAME', 'is set but empty: unset it (the service is then "tradewire") or name the service');
  return { tracesUrl, serviceName: serviceName?.trim() ?? DEFAULT_SERVICE_NAME };
}

/** An empty variable counts as unset, as the OpenTelemetry specification says. */
function present(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function httpUrl(variable: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TracingConfigError(variable, `is not a URL: "${redactUrl(value)}" (expected e.g. http://127.0.0.1:4318)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TracingConfigError(variable, `must be an http or https URL (OTLP/HTTP), not "${redactUrl(value)}"`);
  return value;
}
