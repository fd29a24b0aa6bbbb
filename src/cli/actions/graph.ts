import { writeFileSync } from 'node:fs';
import { machineCatalog } from '../../machines/catalog.ts';
import { machineGraph as xstateGraph } from '../../machines/machineGraph.ts';
import { DRAWING_FORMATS, drawMachine, type DrawingFormat } from '../../statechart/drawMachine.ts';
import { EXIT_OK, EXIT_USAGE, type CliDeps } from '../cliDeps.ts';

export interface GraphOptions {
  format?: string;
  out?: string;
}

/** The drawings, and xstate/graph's directed graph as before the drawings existed (for tools that read it). */
const FORMATS: readonly string[] = [...DRAWING_FORMATS, 'xstate'];

async function render(name: string, format: string): Promise<string> {
  const machine = machineCatalog[name]!();
  if (format === 'xstate') return JSON.stringify(xstateGraph(machine), null, 2);
  const drawing = await drawMachine(machine, name, format as DrawingFormat);
  return drawing.format === 'json' ? JSON.stringify(drawing.layout, null, 2) : drawing.text.trimEnd();
}

export async function runGraph(name: string, options: GraphOptions, deps: CliDeps): Promise<number> {
  if (!machineCatalog[name]) {
    deps.err(`unknown machine '${name}'; known machines: ${Object.keys(machineCatalog).join(', ')}`);
    return EXIT_USAGE;
  }
  const format = options.format ?? 'json';
  if (!FORMATS.includes(format)) {
    deps.err(`unknown format '${format}'; one of: ${FORMATS.join(', ')}`);
    return EXIT_USAGE;
  }
  const text = await render(name, format);
  if (options.out) {
    writeFileSync(options.out, `${text}\n`);
    deps.out(`wrote ${options.out}`);
  } else {
    deps.out(text);
  }
  return EXIT_OK;
}
