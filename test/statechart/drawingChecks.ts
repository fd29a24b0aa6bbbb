import { expect } from 'vitest';
import type { MachineLayout } from '../../src/statechart/machineLayout.ts';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const TOLERANCE = 0.5;

const inside = (inner: Box, outer: Box) =>
  inner.x >= outer.x - TOLERANCE && inner.y >= outer.y - TOLERANCE && inner.x + inner.width <= outer.x + outer.width + TOLERANCE && inner.y + inner.height <= outer.y + outer.height + TOLERANCE;

const overlap = (a: Box, b: Box) =>
  Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x) > TOLERANCE && Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y) > TOLERANCE;

const near = (point: { x: number; y: number }, box: Box) => inside({ x: point.x, y: point.y, width: 0, height: 0 }, { x: box.x - 1, y: box.y - 1, width: box.width + 2, height: box.height + 2 });

/**
 * A layout a reader can use: every box inside the drawing and inside its parent's, no two sibling
 * boxes overlapping, each arrow from its source's box to its target's, each label in the drawing
 * (a transition without target: inside its source's box).
 */
export function expectSaneLayout(layout: MachineLayout): void {
  const drawing = { x: 0, y: 0, width: layout.width, height: layout.height };
  const byId = new Map(layout.nodes.map((node) => [node.id, node]));
  for (const node of layout.nodes) {
    expect(node.width, node.id).toBeGreaterThan(0);
    expect(node.height, node.id).toBeGreaterThan(0);
    expect(inside(node, drawing), `${node.id} outside the drawing`).toBe(true);
    if (node.parent !== null) expect(inside(node, byId.get(node.parent)!), `${node.id} outside its parent ${node.parent}`).toBe(true);
  }
  const siblings = new Map<string | null, MachineLayout['nodes']>();
  for (const node of layout.nodes) siblings.set(node.parent, [...(siblings.get(node.parent) ?? []), node]);
  for (const group of siblings.values()) {
    for (let i = 0; i < group.length; i += 1) {
      for (let j = i + 1; j < group.length; j += 1) expect(overlap(group[i]!, group[j]!), `${group[i]!.id} overlaps ${group[j]!.id}`).toBe(false);
    }
  }
  for (const edge of layout.edges) {
    const source = byId.get(edge.source)!;
    const target = byId.get(edge.target)!;
    if (edge.sections.length === 0) {
      expect(edge.source, edge.id).toBe(edge.target);
      expect(near(edge.labelPos, source), `${edge.id}: its line is outside ${edge.source}`).toBe(true);
      continue;
    }
    expect(near(edge.sections[0]!.startPoint, source), `${edge.id} starts away from ${edge.source}`).toBe(true);
    expect(near(edge.sections.at(-1)!.endPoint, target), `${edge.id} ends away from ${edge.target}`).toBe(true);
    expect(near(edge.labelPos, drawing), `${edge.id}: label outside the drawing`).toBe(true);
  }
}

const unescape = (text: string) => text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The states and transitions an SVG drawing holds, by their data attributes. */
export function svgElements(svg: string) {
  const states = [...svg.matchAll(/<g class="(state [^"]*)" data-state-id="([^"]*)"/g)].map(([, classes, id]) => ({ classes: classes!.split(' '), id: unescape(id!) }));
  const transitions = [...svg.matchAll(/<g class="(transition[^"]*)" data-edge-id="([^"]*)" data-event="([^"]*)"/g)].map(([, classes, edgeId, event]) => ({
    classes: classes!.split(' '),
    edgeId: unescape(edgeId!),
    event: unescape(event!),
  }));
  return { states, transitions };
}

/** Well-formed XML of an SVG document: one root `<svg>` in the SVG namespace, every tag closed in order, text escaped. */
export function expectWellFormedSvg(svg: string): void {
  expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]* viewBox="0 0 \d+ \d+"/);
  const open: string[] = [];
  let roots = 0;
  for (const [tag, closing, name, selfClosing] of svg.matchAll(/<(\/?)([A-Za-z][\w:-]*)(?:\s+[\w:-]+="[^"<]*")*\s*(\/?)>/g)) {
    if (closing) expect(open.pop(), tag).toBe(name);
    else if (!selfClosing) {
      if (open.length === 0) roots += 1;
      open.push(name!);
    }
  }
  expect(open).toEqual([]);
  expect(roots).toBe(1);
  // Outside tags, no stray `<` or unescaped `&`.
  const text = svg.replace(/<(\/?)([A-Za-z][\w:-]*)(?:\s+[\w:-]+="[^"<]*")*\s*(\/?)>/g, '');
  expect(text).not.toMatch(/</);
  expect(text).not.toMatch(/&(?!(amp|lt|gt|quot|#39);)/);
}
