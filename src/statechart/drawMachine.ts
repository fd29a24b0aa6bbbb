import type { AnyStateMachine } from 'xstate';
import type { MachineLayout } from './machineLayout.ts';
import { machineGraph } from './machineGraph.ts';
import { renderMermaid } from './renderMermaid.ts';

export const DRAWING_FORMATS = ['json', 'svg', 'mermaid'] as const;
export type DrawingFormat = (typeof DRAWING_FORMATS)[number];

export type Drawing = { format: 'json'; layout: MachineLayout } | { format: 'svg' | 'mermaid'; text: string };

/**
 * A machine drawn in one format: `json` the laid-out graph, `svg` that layout as an image,
 * `mermaid` a stateDiagram-v2 (mermaid lays it out itself). ELK is loaded only when a layout is
 * asked for, so a process that never draws never loads it.
 */
export async function drawMachine(machine: AnyStateMachine, name: string, format: DrawingFormat): Promise<Drawing> {
  const graph = machineGraph(machine);
  if (format === 'mermaid') return { format, text: renderMermaid(graph) };
  const { layoutMachine } = await import('./layout.ts');
  const layout = await layoutMachine(graph, name);
  if (format === 'json') return { format, layout };
  const { renderSvg } = await import('./renderSvg.ts');
  return { format, text: renderSvg(layout) };
}
