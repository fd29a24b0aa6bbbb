import { createLogger } from '../../log/logger.ts';
import { TwsSimulator } from '../../sim/index.ts';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from '../cliDeps.ts';
import type { SimFlags } from '../commands/sim.ts';
import { errorMessage } from '../../shared/errorMessage.ts';
import { INSTANT_PROBLEM, parseIsoInstant } from '../../shared/instantText.ts';

function parseInteger(name: string, value: string | undefined, min: number, max: number): number | undefined | Error {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) return new Error(`${name} must be an integer between ${min} and ${max}, got "${value}"`);
  return n;
}

/** The clock start: --clock, else TRADEWIRE_SIM_CLOCK (how test, bench and chaos runs pin an in-session instant). */
function clockStart(flags: SimFlags, env: NodeJS.ProcessEnv): string | undefined | Error {
  const [name, value] = flags.clock !== undefined ? ['--clock', flags.clock] : ['TRADEWIRE_SIM_CLOCK', env.TRADEWIRE_SIM_CLOCK || undefined];
  if (value === undefined) return undefined;
  return parseIsoInstant(value) === undefined ? new Error(`${name} ${INSTANT_PROBLEM}, got "${value}"`) : value;
}

export async function runSim(flags: SimFlags, signals: NodeJS.EventEmitter = process, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const port = parseInteger('--port', flags.port, 0, 65_535);
  const seed = parseInteger('--seed', flags.seed, -2_147_483_648, 2_147_483_647);
  const tickIntervalMs = parseInteger('--tick-interval-ms', flags.tickIntervalMs, 0, 3_600_000);
  const masterClientId = parseInteger('--master-client-id', flags.masterClientId, 0, 2_147_483_647);
  const clock = clockStart(flags, env);
  for (const parsed of [port, seed, tickIntervalMs, masterClientId, clock]) {
    if (parsed instanceof Error) {
      process.stderr.write(`tradewire sim: ${parsed.message}\n`);
      return EXIT_USAGE;
    }
  }
  const logger = createLogger();
  let sim: TwsSimulator;
  try {
    sim = new TwsSimulator({
      logger,
      ...(seed === undefined ? {} : { seed: seed as number }),
      ...(tickIntervalMs === undefined ? {} : { tickIntervalMs: tickIntervalMs as number }),
      ...(masterClientId === undefined ? {} : { masterClientId: masterClientId as number }),
      ...(clock === undefined ? {} : { clock: clock as string }),
      pacing: { enabled: flags.pacing },
    });
    await sim.listen(port as number, flags.host);
  } catch (error) {
    logger.error('sim failed to start', { error: errorMessage(error) });
    return EXIT_FAILED;
  }
  const signal = await new Promise<string>((resolve) => {
    signals.once('SIGINT', () => resolve('SIGINT'));
    signals.once('SIGTERM', () => resolve('SIGTERM'));
  });
  logger.info('sim stopping', { signal });
  await sim.close();
  return EXIT_OK;
}
