import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { createSilentLogger } from '../../src/log/logger.ts';
import { startMainProcess } from '../../src/runtime/mainProcess.ts';
import { TracingConfigError, tracingConfigFromEnv, tracingSdkLoaded } from '../../src/tracing/index.ts';

describe('tracing configuration from the standard OpenTelemetry variables', () => {
  it('is off when no endpoint is set (a service name alone, empty values, or OTEL_SDK_DISABLED)', () => {
    expect(tracingConfigFromEnv({})).toBeNull();
    expect(tracingConfigFromEnv({ OTEL_SERVICE_NAME: 'tw' })).toBeNull();
    expect(tracingConfigFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '' })).toBeNull();
    expect(tracingConfigFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'true' })).toBeNull();
  });

  it('appends /v1/traces to the generic endpoint; the traces endpoint is used as it is and wins', () => {
    expect(tracingConfigFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toEqual({ tracesUrl: 'http://collector:4318/v1/traces', serviceName: 'tradewire' });
    expect(tracingConfigFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://b/otlp/traces', OTEL_SERVICE_NAME: 'tw-east' })).toEqual({
      tracesUrl: 'https://b/otlp/traces',
      serviceName: 'tw-east',
    });
  });

  it('refuses a value set wrongly, naming its variable', () => {
    const problems: [Record<string, string>, string][] = [
      [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, 'OTEL_EXPORTER_OTLP_ENDPOINT'],
      [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'not a url' }, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'],
      [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector:4317' }, 'OTEL_EXPORTER_OTLP_ENDPOINT'],
      [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SERVICE_NAME: ' ' }, 'OTEL_SERVICE_NAME'],
    ];
    for (const [env, variable] of problems) {
      expect(() => tracingConfigFromEnv(env)).toThrow(TracingConfigError);
      expect(() => tracingConfigFromEnv(env)).toThrow(new RegExp(`^${variable} `));
    }
  });

  it('any http(s) base URL gives its traces URL under it', () => {
    fc.assert(
      fc.property(fc.webUrl({ validSchemes: ['http', 'https'], withQueryParameters: false, withFragments: false }), (base) => {
        const config = tracingConfigFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: base });
        expect(config?.tracesUrl).toBe(`${base.replace(/\/+$/, '')}/v1/traces`);
      }),
    );
  });

  it('a main process with a tracing variable set wrongly refuses to start, before loading the SDK or touching Redis', async () => {
    const config = loadConfig({ env: {}, overrides: { redis: { url: 'redis://127.0.0.1:1' }, admin: { port: 0 } } });
    await expect(startMainProcess(config, createSilentLogger(), { env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'localhost:4318' } })).rejects.toThrow(/^OTEL_EXPORTER_OTLP_TRACES_ENDPOINT must be an http or https URL/);
    expect(tracingSdkLoaded()).toBe(false);
  });
});
