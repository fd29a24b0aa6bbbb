/**
 * `npm run chaos -- orders [--quick]`, `npm run chaos -- matrix [--quick] [--seed <n>]` and
 * `npm run chaos -- failover [--quick] [--seed <n>]`: the last line printed is one JSON object;
 * the exit code is 1 when it shows a failure.
 */
import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';
import { matrixPassed, runFaultMatrix, type MatrixOptions } from './matrix.ts';
import { runOrderChaos } from './orders.ts';
import { DEFAULT_TARGETS, failoverPassed, runFailover, type FailoverOptions } from './failover.ts';
import { TEST_SIM_CLOCK } from '../test/support/simClock.ts';

// Simulators (spawned `tradewire sim`, embedded in a runtime) run at a fixed in-session instant,
// whatever day the run is: ticks and fills happen only in trading sessions. Children inherit it.
process.env.TRADEWIRE_SIM_CLOCK ||= TEST_SIM_CLOCK;

const USAGE = 'usage: npm run chaos -- orders [--quick] | matrix [--quick] [--seed <n>] [--runtime-log <file>] | failover [--quick] [--seed <n>] [--runtime-log <file>]';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { quick: { type: 'boolean', default: false }, seed: { type: 'string' }, 'runtime-log': { type: 'string' } },
});

/** The quick run covers every fault kind in under 3 minutes; the full one is 1,000 orders with each kind at least 3 times. */
const MATRIX_RUNS: Record<'quick' | 'full', Omit<MatrixOptions, 'seed' | 'log'>> = {
  quick: {
    orders: 150,
    streamMs: 70_000,
    faults: { process_kill: 1, actor_crash: 2, redis_client_kill: 1, redis_wipe: 1, gateway: 3, forged_input: 1 },
    settleTimeoutMs: 40_000,
    detectionTimeoutMs: 15_000,
  },
  full: {
    orders: 1_000,
    streamMs: 300_000,
    faults: { process_kill: 3, actor_crash: 4, redis_client_kill: 3, redis_wipe: 3, gateway: 6, forged_input: 3 },
    settleTimeoutMs: 90_000,
    detectionTimeoutMs: 20_000,
  },
};

/** The quick run has every takeover kind at least once in under 3 minutes; the full one ~1,000 orders, each kind 4 times. */
const FAILOVER_RUNS: Record<'quick' | 'full', Omit<FailoverOptions, 'seed' | 'log'>> = {
  quick: { orders: 120, streamMs: 55_000, faults: { kill: 2, pause: 2, handover: 2 }, settleTimeoutMs: 30_000 },
  full: { orders: 1_000, streamMs: 150_000, faults: { kill: 4, pause: 4, handover: 4 }, settleTimeoutMs: 90_000 },
};

async function orders(): Promise<number> {
  const result = await runOrderChaos({
    orders: values.quick ? 200 : 1_000,
    kills: values.quick ? 3 : 6,
    log: (line) => console.log(line),
    settleTimeoutMs: values.quick ? 45_000 : 120_000,
  });
  console.log(JSON.stringify(result));
  return result.lost + result.duplicated + result.unexplained === 0 ? 0 : 1;
}

/** The run's seed: --seed, or a random one (printed, so the run can be replayed); null when --seed is not a number. */
function seedOf(): number | null {
  if (values.seed !== undefined && !/^\d{1,9}$/.test(values.seed)) {
    console.error(`--seed must be a whole number below 1e9; got ${JSON.stringify(values.seed)}`);
    return null;
  }
  return values.seed !== undefined ? Number(values.seed) : randomInt(1, 1_000_000_000);
}

async function failover(): Promise<number> {
  const seed = seedOf();
  if (seed === null) return 2;
  const replay = `npm run chaos -- failover${values.quick ? ' --quick' : ''} --seed ${seed}`;
  console.log(`# seed ${seed} (replay: ${replay})`);
  // Notes are printed as they happen; findings (what failed) are gathered at the end.
  const { result, findings } = await runFailover({
    ...FAILOVER_RUNS[values.quick ? 'quick' : 'full'],
    seed,
    log: (line) => console.log(line),
    ...(values['runtime-log'] ? { runtimeLogFile: values['runtime-log'] } : {}),
  });
  for (const finding of findings) console.log(`# ${finding}`);
  const passed = failoverPassed(result, DEFAULT_TARGETS);
  if (!passed) console.log(`# FAILED with seed ${seed}; replay: ${replay}`);
  console.log(JSON.stringify(result));
  return passed ? 0 : 1;
}

async function matrix(): Promise<number> {
  const seed = seedOf();
  if (seed === null) return 2;
  const replay = `npm run chaos -- matrix${values.quick ? ' --quick' : ''} --seed ${seed}`;
  console.log(`# seed ${seed} (replay: ${replay})`);
  const { result, findings, notes } = await runFaultMatrix({
    ...MATRIX_RUNS[values.quick ? 'quick' : 'full'],
    seed,
    log: (line) => console.log(line),
    ...(values['runtime-log'] ? { runtimeLogFile: values['runtime-log'] } : {}),
  });
  for (const note of notes) console.log(`# note: ${note}`);
  for (const finding of findings) console.log(`# ${finding}`);
  const passed = matrixPassed(result);
  if (!passed) console.log(`# FAILED with seed ${seed}; replay: ${replay}`);
  console.log(JSON.stringify(result));
  return passed ? 0 : 1;
}

const COMMANDS: Record<string, () => Promise<number>> = { orders, matrix, failover };
const name = positionals[0] ?? '';
const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
if (!command) {
  console.error(USAGE);
  process.exit(2);
}
process.exit(await command());
