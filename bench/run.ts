/**
 * `npm run bench -- <name> [--quick]`: runs bench/<name>.ts, whose `run()` returns named figures.
 * Progress goes to stderr-free stdout lines; the last line printed is one JSON object.
 */
import { parseArgs } from 'node:util';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_SIM_CLOCK } from '../test/support/simClock.ts';

// Simulators (spawned `tradewire sim`, embedded in a runtime) run at a fixed in-session instant,
// whatever day the bench runs: ticks and fills happen only in trading sessions. Children inherit it.
process.env.TRADEWIRE_SIM_CLOCK ||= TEST_SIM_CLOCK;

const here = path.dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((file) => file.endsWith('.ts') && !['run.ts'].includes(file) && !file.startsWith('_'))
  .map((file) => file.replace(/\.ts$/, ''));

const { positionals, values } = parseArgs({ allowPositionals: true, options: { quick: { type: 'boolean', default: false } } });
const name = positionals[0];
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <name> [--quick]\nbenchmarks: ${available.join(', ')}`);
  process.exit(2);
}
const module = (await import(path.join(here, `${name}.ts`))) as { run(opts: { quick: boolean }): Promise<Record<string, unknown>> };
const figures = await module.run({ quick: values.quick ?? false });
console.log(JSON.stringify(figures));
process.exit(0);
