import type { Command } from 'commander';
import { createLogger } from '../../log/logger.ts';
import { TwsSimulator } from '../../sim/index.ts';
import { errorMessage } from '../../shared/errorMessage.ts';

interface SimFlags {
  port: string;
  host: string;
  seed?: string;
  tickIntervalMs?: string;
  masterClientId?: string;
  pacing: boolean;
}

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

export function registerSimCommand(program: Command): void {
  program
    .command('sim')
    .description('run the embedded TWS gateway simulator standalone (speaks the real TWS API socket protocol)')
    .requiredOption('--port <port>', 'TCP port to listen on (0 picks a free one)')
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option('--seed <seed>', 'random-walk seed (same seed, same prices)')
    .option('--tick-interval-ms <ms>', 'price step period; 0 disables automatic steps')
    .option('--master-client-id <id>', "like TWS's Master API client ID: this client also gets other clients' order status and executions")
    .option('--no-pacing', 'disable the 50 messages/s pacing limit (benchmarks)')
    .action(async (flags: SimFlags) => {
      process.exitCode = await runSim(flags);
    });
}

function parseInteger(name: string, value: string | undefined, min: number, max: number): number | undefined | Error {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) return new Error(`${name} must be an integer between ${min} and ${max}, got "${value}"`);
  return n;
}

export async function runSim(flags: SimFlags, signals: NodeJS.EventEmitter = process): Promise<number> {
  const port = parseInteger('--port', flags.port, 0, 65_535);
  const seed = parseInteger('--seed', flags.seed, -2_147_483_648, 2_147_483_647);
  const tickIntervalMs = parseInteger('--tick-interval-ms', flags.tickIntervalMs, 0, 3_600_000);
  const masterClientId = parseInteger('--master-client-id', flags.masterClientId, 0, 2_147_483_647);
  for (const parsed of [port, seed, tickIntervalMs, masterClientId]) {
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
