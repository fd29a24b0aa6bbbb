import type { Command } from 'commander';
import { processCliDeps, type CliDeps } from '../cliDeps.ts';
import { describeWhenUsed } from '../describeWhenUsed.ts';

export function registerGraphCommand(program: Command, deps: CliDeps = processCliDeps()): void {
  const graph = program
    .command('graph')
    .description("write a machine's graph as JSON (xstate/graph), for viewers")
    .argument('<machine>')
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .action(async (name: string, options: { out?: string }) => {
      const { runGraph } = await import('../actions/graph.ts');
      deps.setExitCode(runGraph(name, options, deps));
    });
  describeWhenUsed(graph, async (command) => {
    const { machineCatalog } = await import('../../machines/catalog.ts');
    command.registeredArguments[0]!.description = `one of: ${Object.keys(machineCatalog).join(', ')}`;
  });
}
