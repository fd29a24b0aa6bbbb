import type { Command } from 'commander';
import type { GraphOptions } from '../actions/graph.ts';
import { processCliDeps, type CliDeps } from '../cliDeps.ts';
import { describeWhenUsed } from '../describeWhenUsed.ts';

export function registerGraphCommand(program: Command, deps: CliDeps = processCliDeps()): void {
  const graph = program
    .command('graph')
    .description("draw a machine from its definition: its states, nesting, parallel regions and transitions with events and guards")
    .argument('<machine>')
    .option(
      '-f, --format <format>',
      'json (the laid-out graph: boxes, arrows, label positions), svg (an image), mermaid (a stateDiagram-v2) or xstate (xstate/graph\'s directed graph, unlaid)',
      'json',
    )
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .action(async (name: string, options: GraphOptions) => {
      const { runGraph } = await import('../actions/graph.ts');
      deps.setExitCode(await runGraph(name, options, deps));
    });
  describeWhenUsed(graph, async (command) => {
    const { machineCatalog } = await import('../../machines/catalog.ts');
    command.registeredArguments[0]!.description = `one of: ${Object.keys(machineCatalog).join(', ')}`;
  });
}
