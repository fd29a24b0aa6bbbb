import type { Logger } from '../log/logger.ts';
import { activeTracing, setActiveTracing } from './activeTracing.ts';
import { tracingConfigFromEnv } from './tracingConfig.ts';

export interface TracingHandle {
  readonly enabled: boolean;
  stop(): Promise<void>;
}

const OFF: TracingHandle = { enabled: false, stop: async () => {} };

/** Main processes sharing this Node process (tests run several) share its one tracer provider. */
let holders = 0;

/**
 * Tracing from the standard OpenTelemetry variables. Off (none set): nothing is imported. On: the
 * SDK is imported now and registered for the process; a variable set wrongly throws
 * TracingConfigError naming it, before anything starts.
 */
export async function startTracing(env: Readonly<Record<string, string | undefined>>, logger: Logger): Promise<TracingHandle> {
  const config = tracingConfigFromEnv(env);
  if (config === null) return OFF;
  if (activeTracing() === undefined) {
    const { startTracingSdk } = await import('./tracingSdk.ts');
    setActiveTracing(startTracingSdk(config, logger));
    logger.info(`tracing on: spans go to the OTLP endpoint as ${config.serviceName}`, { url: config.tracesUrl, serviceName: config.serviceName });
  }
  holders += 1;
  let stopped = false;
  return {
    enabled: true,
    async stop() {
      if (stopped) return;
      stopped = true;
      holders -= 1;
      const tracing = activeTracing();
      if (holders > 0 || tracing === undefined) return;
      setActiveTracing(undefined);
      await tracing.shutdown();
    },
  };
}
