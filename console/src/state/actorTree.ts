import type { ActorNode, SupervisionEvent } from '../api/types.ts';
import { Slice } from './slice.ts';

const FEED_LENGTH = 100;
/** How long a row flashes after a restart or escalation. */
export const FLASH_MS = 4_000;

export const actorTree = new Slice<ActorNode | null>(null);

export interface FeedEntry extends SupervisionEvent {
  seq: number;
}

/**
 * The supervision feed, newest first: restarts and escalations kept apart from starts and stops,
 * which order actors make by the hundred, so those never push a restart out. And when each actor
 * last flashed.
 */
export const supervisionFeed = new Slice<{ alerts: FeedEntry[]; lifecycle: FeedEntry[]; flashes: Map<string, number> }>({ alerts: [], lifecycle: [], flashes: new Map() });

let seq = 0;

export function recordSupervision(event: SupervisionEvent): void {
  const feed = supervisionFeed.value;
  seq += 1;
  const entry = { ...event, seq };
  if (event.kind === 'restart' || event.kind === 'escalation') {
    feed.flashes.set(event.systemId, Date.now());
    supervisionFeed.set({ ...feed, alerts: [entry, ...feed.alerts].slice(0, FEED_LENGTH) });
  } else supervisionFeed.set({ ...feed, lifecycle: [entry, ...feed.lifecycle].slice(0, FEED_LENGTH) });
}

export interface TreeRow {
  node: ActorNode;
  depth: number;
  /** Children in the tree (a supervisor can collapse). */
  childCount: number;
}

/**
 * The tree as the rows the panel shows: depth-first, children of collapsed nodes left out. With a
 * kind filter, every matching actor with its ancestors (so each keeps its place), collapsed or not.
 */
export function treeRows(root: ActorNode | null, collapsed: ReadonlySet<string>, kind: string | null): TreeRow[] {
  const rows: TreeRow[] = [];
  const visit = (node: ActorNode, depth: number): boolean => {
    const at = rows.length;
    rows.push({ node, depth, childCount: node.children.length });
    let keep = kind === null || node.kind === kind;
    if (kind !== null || !collapsed.has(node.systemId)) for (const child of node.children) keep = visit(child, depth + 1) || keep;
    if (!keep) rows.length = at;
    return keep;
  };
  if (root) visit(root, 0);
  return rows;
}

export function actorKinds(root: ActorNode | null): string[] {
  const kinds = new Set<string>();
  const visit = (node: ActorNode) => {
    kinds.add(node.kind);
    node.children.forEach(visit);
  };
  if (root) visit(root);
  return [...kinds].sort();
}

export function findActor(root: ActorNode | null, systemId: string): ActorNode | null {
  if (!root) return null;
  if (root.systemId === systemId) return root;
  for (const child of root.children) {
    const found = findActor(child, systemId);
    if (found) return found;
  }
  return null;
}
