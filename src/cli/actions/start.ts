import { AdminTokenConfigError, checkAdminTokens } from '../../admin/adminTokens.ts';
import { ConfigError, loadConfig, type Config, type DeepPartial } from '../../config/index.ts';
import { createLogger } from '../../log/logger.ts';
import { RedisUnavailableError } from '../../runtime/redisCheck.ts';
import { VolatileRedisError } from '../../runtime/continuity/redisPersistence.ts';
import { startMainProcess } from '../../runtime/mainProcess.ts';
import { unloadableAdapterProblems } from '../adapterModules.ts';
import { EXIT_FAILED, EXIT_USAGE } from '../cliDeps.ts';
import type { StartFlags } from '../commands/start.ts';
import { installAsyncContainment } from '../../supervision/asyncContainment.ts';
import { errorMessage } from '../../shared/errorMessage.ts';

/** A signal within this long of the first is the same stop request, delivered twice. */
const REPEATED_SIGNAL_MS = 1_000;

function overridesFrom(flags: StartFlags): DeepPartial<Config> {
  const overrides: DeepPartial<Config> = {};
  if (flags.inspect) overrides.inspect = { enabled: true };
  if (flags.adminPort !== undefined) overrides.admin = { port: Number(flags.adminPort) };
  if (flags.allowVolatileRedis) overrides.redis = { allowVolatile: true };
  return overrides;
}

export async function runStart(flags: StartFlags): Promise<number> {
  let config: Config;
  try {
    const env = flags.config ? { ...process.env, TRADEWIRE_CONFIG: flags.config } : process.env;
    config = loadConfig({ env, overrides: overridesFrom(flags) });
    // Before anything starts: the admin server would refuse these tokens only once the runtime ran.
    checkAdminTokens(config.admin.token, config.admin.readToken);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof AdminTokenConfigError) {
      process.stderr.write(`tradewire: invalid configuration\n${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
  const adapterProblems = await unloadableAdapterProblems(config);
  if (adapterProblems.length > 0) {
    process.stderr.write(`tradewire: invalid configuration\n${adapterProblems.join('\n')}\n`);
    return EXIT_USAGE;
  }
  const logger = createLogger({ level: config.log.level, format: config.log.format });
  installAsyncContainment(logger);

  let main;
  try {
    main = await startMainProcess(config, logger, { waitForActive: false });
  } catch (error) {
    const message = errorMessage(error);
    logger.error('start failed', { error: message });
    if (error instanceof RedisUnavailableError || error instanceof VolatileRedisError) process.stderr.write(`tradewire: ${message}\n`);
    return EXIT_FAILED;
  }
  const inspector = main.runtime.inspector;
  if (inspector) process.stdout.write(`Stately inspector: open ${inspector.pageUrl}\n`);

  return new Promise<number>((resolve) => {
    let signalledAt: number | null = null;
    const onSignal = (signal: NodeJS.Signals) => {
      if (signalledAt !== null) {
        // One stop request often arrives twice at once: systemd signals the whole control group,
        // and npm forwards the same signal to its child. Only a later one is an operator insisting.
        if (Date.now() - signalledAt < REPEATED_SIGNAL_MS) return;
        logger.warn('second signal: exiting now', { signal });
        process.exit(EXIT_FAILED);
      }
      signalledAt = Date.now();
      logger.info('signal received: graceful stop', { signal });
      main.stop().then((outcome) => resolve(outcome.kind === 'escalated' ? EXIT_FAILED : 0));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    main.outcome.then((outcome) => {
      if (outcome.kind !== 'escalated') return;
      logger.error('root supervisor escalated: shutting down', { error: String(outcome.error) });
      main.stop().then(() => resolve(EXIT_FAILED));
    });
  });
}
