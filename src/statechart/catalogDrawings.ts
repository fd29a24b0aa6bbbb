import { machineCatalog, machineKinds, type MachineName } from '../machines/catalog.ts';
import { drawMachine, type Drawing, type DrawingFormat } from './drawMachine.ts';

export interface CatalogMachine {
  name: string;
  /** The kinds of the supervision tree's nodes that run this machine. */
  kinds: string[];
}

export function catalogMachines(): CatalogMachine[] {
  return (Object.keys(machineKinds) as MachineName[]).map((name) => ({ name, kinds: [...machineKinds[name]] }));
}

export function isCatalogMachine(name: string): name is MachineName {
  return Object.hasOwn(machineKinds, name);
}

const drawings = new Map<string, Promise<Drawing>>();

/**
 * A catalogue machine drawn, once per machine and format for the process: a definition never
 * changes at run time, and a layout of the largest machine takes a few hundred milliseconds.
 */
export function drawCatalogMachine(name: MachineName, format: DrawingFormat): Promise<Drawing> {
  const key = `${name}\n${format}`;
  let drawing = drawings.get(key);
  if (!drawing) {
    drawing = drawMachine(machineCatalog[name]!(), name, format);
    drawings.set(key, drawing);
    // A failure is not remembered: the next request tries again.
    drawing.catch(() => drawings.delete(key));
  }
  return drawing;
}
