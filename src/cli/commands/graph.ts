import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { machineCatalog } from '../../machines/catalog.ts';
import { machineGraph } from '../../machines/machineGraph.ts';
import { EXIT_OK, EXIT_USAGE, processCliDeps, type CliDeps } from '../adminClient.ts';

export function registerGraphCommand(program: Command, deps: CliDeps = processCliDeps()): void {
  program
    .command('graph')
    .description("write a machine's graph as JSON (xstate/graph), for viewers")
    .argument('<machine>', `one of: ${Object.keys(machineCatalog).join(', ')}`)
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .action((name: string, options: { out?: string }) => deps.setExitCode(runGraph(name, options, deps)));
}

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
