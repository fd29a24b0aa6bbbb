import { writeFileSync } from 'node:fs';
import { machineCatalog } from '../../machines/catalog.ts';
import { machineGraph } from '../../machines/machineGraph.ts';
import { EXIT_OK, EXIT_USAGE, type CliDeps } from '../cliDeps.ts';

export function runGraph(name: string, options: { out?: string }, deps: CliDeps): number {
  const build = machineCatalog[name];
  if (!build) {
    deps.err(`unknown machine '${name}'; known machines: ${Object.keys(machineCatalog).join(', ')}`);
    return EXIT_USAGE;
  }
  const json = JSON.stringify(machineGraph(build()), null, 2);
  if (options.out) {
    writeFileSync(options.out, `${json}\n`);
    deps.out(`wrote ${options.out}`);
  } else {
    deps.out(json);
  }
  return EXIT_OK;
}
