import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { activeStateIds } from '../../../src/statechart/activeStateIds.ts';
import { describeError, getJson } from '../api/http.ts';
import type { ActorNode, MachineGraph } from '../api/types.ts';
import { machines } from '../live/feeds.ts';
import { actorTree, findActor } from '../state/actorTree.ts';
import { orderBook } from '../state/orderBook.ts';
import { useSlice } from '../state/slice.ts';
import { stateValue } from '../ui/format.ts';
import { href } from '../ui/route.ts';
import { useMachineKinds } from './machineKinds.ts';
import { activeLeaves, StatechartDrawing, TransitionTable } from './statechartDrawing.ts';

const graphs = new Map<string, Promise<MachineGraph>>();
const readGraph = (name: string) => {
  let graph = graphs.get(name);
  if (!graph) {
    graph = getJson<MachineGraph>(`/machines/${encodeURIComponent(name)}/graph`);
    graph.catch(() => graphs.delete(name));
    graphs.set(name, graph);
  }
  return graph;
};

function actorsByMachine(root: ActorNode | null, machineOfKind: Map<string, string>): Map<string, ActorNode[]> {
  const byMachine = new Map<string, ActorNode[]>();
  const visit = (node: ActorNode) => {
    const machine = machineOfKind.get(node.kind);
    if (machine) byMachine.set(machine, [...(byMachine.get(machine) ?? []), node]);
    node.children.forEach(visit);
  };
  if (root) visit(root);
  return byMachine;
}

/**
 * Any actor's machine drawn in the page, its current state highlighted and following the actor live
 * (the tree stream; for orders, their events, which carry every state). The offline counterpart of
 * the Stately inspector.
 */
export function StatechartPanel(props: { params: URLSearchParams }): VNode {
  const [root] = useSlice(actorTree);
  const [book, bookVersion] = useSlice(orderBook.slice);
  const [catalog] = useSlice(machines.slice);
  const machineOfKind = useMachineKinds();
  const actorId = props.params.get('actor');
  const actor = actorId ? findActor(root, actorId) : null;
  const [lastSeen, setLastSeen] = useState<ActorNode | null>(null);
  useEffect(() => {
    if (actor) setLastSeen(actor);
  }, [actor]);
  useEffect(() => setLastSeen(null), [actorId]);
  const shown = actor ?? (lastSeen?.systemId === actorId ? lastSeen : null);
  const machineName = props.params.get('machine') ?? (shown ? machineOfKind.get(shown.kind) : undefined) ?? null;
  const [graph, setGraph] = useState<MachineGraph | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setGraph(null);
    setError(null);
    if (!machineName) return;
    let stale = false;
    readGraph(machineName)
      .then((answer) => !stale && setGraph(answer))
      .catch((failure: unknown) => !stale && setError(describeError(failure)));
    return () => void (stale = true);
  }, [machineName]);
  const order = actorId?.startsWith('order:') ? book.get(actorId.slice('order:'.length)) : undefined;
  // An order's events carry every state it passes through; the tree shows it at most every 100 ms.
  const state = order ? order.state : shown?.state;
  const rootId = graph?.nodes.find((node) => node.parent === null)?.id ?? machineName ?? '';
  const active = useMemo(() => new Set(graph && state !== undefined && state !== null ? activeStateIds(state, rootId) : []), [graph, stateValue(state), rootId, bookVersion]);
  const byMachine = useMemo(() => actorsByMachine(root, machineOfKind), [root, machineOfKind]);
  const [scale, setScale] = useState<number | 'fit'>(1);
  const scroller = useRef<HTMLDivElement>(null);
  // Brings the active state into view: when an actor is chosen or the zoom changes, or when asked.
  // Live state changes never move the view.
  const showActive = () => {
    const container = scroller.current;
    const leaf = graph ? activeLeaves(graph, active)[0] : undefined;
    if (!container || !leaf || scale === 'fit') return;
    container.scrollLeft = (leaf.x + leaf.width / 2) * scale - container.clientWidth / 2;
    container.scrollTop = (leaf.y + leaf.height / 2) * scale - container.clientHeight / 2;
  };
  useEffect(showActive, [graph, actorId, scale]);
  const zoom = (factor: number) => setScale((current) => Math.min(2, Math.max(0.2, Math.round((current === 'fit' ? 1 : current) * factor * 100) / 100)));
  const pick = (event: Event) => {
    const value = (event.target as HTMLSelectElement).value;
    location.hash = value.startsWith('machine:') ? href('statecharts', { machine: value.slice('machine:'.length) }) : href('statecharts', { actor: value });
  };
  return html`
    <section class="card" aria-labelledby="statechart-title">
      <header class="card-head">
        <h2 id="statechart-title">Statecharts</h2>
        <div class="filters">
          <label for="statechart-actor">Actor or machine</label>
          <select id="statechart-actor" value=${actorId ?? (machineName ? `machine:${machineName}` : '')} onChange=${pick}>
            <option value="" disabled>choose…</option>
            ${actorId && !byMachine.size ? html`<option value=${actorId}>${actorId}</option>` : null}
            ${(catalog.data?.machines ?? []).map(
              (machine) => html`<optgroup label=${machine.name}>
                <option value=${`machine:${machine.name}`}>${machine.name} (machine only)</option>
                ${(byMachine.get(machine.name) ?? []).slice(0, 300).map((node) => html`<option value=${node.systemId}>${node.systemId}</option>`)}
              </optgroup>`,
            )}
          </select>
        </div>
      </header>
      <div class="statechart-status" role="status">
        ${shown
          ? html`<span><span class="mono">${shown.systemId}</span> runs <strong>${machineName ?? 'no machine this console knows'}</strong>; state <strong class="mono" data-current-state>${stateValue(state)}</strong>${actor ? '' : html` <span class="pill warn">actor stopped: last state shown</span>`}</span>`
          : actorId
            ? html`<span>No actor <span class="mono">${actorId}</span> in the tree.</span>`
            : machineName
              ? html`<span>Machine <strong>${machineName}</strong> (no actor chosen: nothing highlighted).</span>`
              : html`<span>Choose an actor (or a machine) above, or follow a "machine" link in the tree.</span>`}
      </div>
      ${error ? html`<p class="form-error" role="alert">Could not read the graph: ${error}</p>` : null}
      ${graph
        ? html`<div class="zoom" role="group" aria-label="Zoom">
              <button type="button" class="button small" onClick=${() => zoom(1 / 1.25)} aria-label="Zoom out">−</button>
              <span class="mono" aria-live="off">${scale === 'fit' ? 'fit' : `${Math.round(scale * 100)}%`}</span>
              <button type="button" class="button small" onClick=${() => zoom(1.25)} aria-label="Zoom in">+</button>
              <button type="button" class="button small" aria-pressed=${scale === 'fit'} onClick=${() => setScale('fit')}>Fit</button>
              <button type="button" class="button small" aria-pressed=${scale === 1} onClick=${() => setScale(1)}>100%</button>
              <button type="button" class="button small" disabled=${scale === 'fit' || active.size === 0} onClick=${showActive}>Show the active state</button>
            </div>
            <div class="statechart-scroll" ref=${scroller} tabindex="0" role="region" aria-label="Statechart drawing"><${StatechartDrawing} graph=${graph} active=${active} scale=${scale} /></div>
            <${TransitionTable} graph=${graph} />`
        : machineName && !error
          ? html`<p class="empty">Reading the graph…</p>`
          : null}
      <p class="footnote">
        Drawn here from GET /machines/${machineName ?? '{name}'}/graph: works offline. Online, the Stately inspector shows the same actors live, with their events and context:
        start the node with <code>--inspect</code> and open <a href=${`${location.protocol}//${location.hostname}:7401/`} target="_blank" rel="noopener noreferrer">the inspector page (port 7401 by default)</a>; it loads the inspector from stately.ai.
      </p>
    </section>
  `;
}
