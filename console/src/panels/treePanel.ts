import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import type { ActorNode } from '../api/types.ts';
import { actorKinds, actorTree, FLASH_MS, supervisionFeed, treeRows, type TreeRow } from '../state/actorTree.ts';
import { useSlice } from '../state/slice.ts';
import { useNow } from '../ui/clock.ts';
import { duration, stateValue } from '../ui/format.ts';
import { href } from '../ui/route.ts';
import { memoized } from '../ui/memoized.ts';
import { VirtualRows } from '../ui/virtualRows.ts';
import { SupervisionFeed } from './supervisionFeed.ts';
import { useMachineKinds } from './machineKinds.ts';

const ROW_HEIGHT = 30;

/** Every actor of the node with its state, status, restarts and uptime, live from GET /actors/stream. */
export function TreePanel(): VNode {
  const [root] = useSlice(actorTree);
  const [feed] = useSlice(supervisionFeed);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [kind, setKind] = useState<string | null>(null);
  const now = useNow();
  const machineOfKind = useMachineKinds();
  const kinds = useMemo(() => actorKinds(root), [root]);
  const rows = useMemo(() => treeRows(root, collapsed, kind), [root, collapsed, kind]);
  const toggle = (systemId: string) => {
    const next = new Set(collapsed);
    if (next.has(systemId)) next.delete(systemId);
    else next.add(systemId);
    setCollapsed(next);
  };
  const head = html`<colgroup><col class="c-actor" /><col class="c-kind" /><col class="c-state" /><col class="c-status" /><col class="c-restarts" /><col class="c-uptime" /><col class="c-machine" /></colgroup><thead><tr aria-rowindex="1"><th scope="col">Actor</th><th scope="col">Kind</th><th scope="col">State</th><th scope="col">Status</th><th scope="col" class="num">Restarts</th><th scope="col" class="num">Uptime</th><th scope="col">Machine</th></tr></thead>`;
  return html`
    <div class="panel-grid tree-layout">
      <section class="card" aria-labelledby="tree-title">
        <header class="card-head">
          <h2 id="tree-title">Supervision tree</h2>
          <div class="filters">
            <label for="tree-kind">Kind</label>
            <select id="tree-kind" value=${kind ?? ''} onChange=${(e: Event) => setKind((e.target as HTMLSelectElement).value || null)}>
              <option value="">all kinds</option>
              ${kinds.map((name) => html`<option value=${name}>${name}</option>`)}
            </select>
            <button type="button" class="button small" onClick=${() => setCollapsed(new Set())}>Expand all</button>
          </div>
        </header>
        ${root === null
          ? html`<p class="empty">Waiting for the tree (GET /actors/stream)…</p>`
          : html`<${VirtualRows}
              items=${rows}
              rowHeight=${ROW_HEIGHT}
              height=${640}
              columns=${7}
              label="Actors"
              tableClass="grid tree"
              head=${head}
              row=${(row: TreeRow, index: number) => html`<${TreeLine} key=${row.node.systemId} row=${row} index=${index} collapsed=${collapsed.has(row.node.systemId)} onToggle=${toggle} now=${now} flashedAt=${feed.flashes.get(row.node.systemId) ?? 0} machine=${machineOfKind.get(row.node.kind) ?? null} />`}
            />`}
        <p class="footnote">${rows.length} of ${countActors(root)} actors shown. Live: restarts and escalations flash and appear in the feed.</p>
      </section>
      <${SupervisionFeed} />
    </div>
  `;
}

const TreeLine = memoized(
  function TreeLine(props: { row: TreeRow; index: number; collapsed: boolean; onToggle: (id: string) => void; now: number; flashedAt: number; machine: string | null }): VNode {
    const { node, depth, childCount } = props.row;
    const flashing = props.now - props.flashedAt < FLASH_MS;
    // `now` ticks once a second: an actor started since reads 0s, not a negative age.
    const uptime = node.startedAt && node.status === 'running' ? Math.max(0, props.now - Date.parse(node.startedAt)) : null;
    return html`
      <tr class=${`${flashing ? 'flash' : ''} status-${node.status}`} aria-rowindex=${props.index + 2} data-tree-row=${node.systemId}>
        <th scope="row" style=${`padding-left:${0.5 + depth * 1.1}rem`}><span class="actor-name">
          ${childCount > 0
            ? html`<button type="button" class="toggle" aria-expanded=${!props.collapsed} aria-label=${`${props.collapsed ? 'Expand' : 'Collapse'} ${node.systemId} (${childCount} children)`} onClick=${() => props.onToggle(node.systemId)}>${props.collapsed ? '▸' : '▾'}</button>`
            : html`<span class="toggle-space" aria-hidden="true"></span>`}
          <span class="mono">${node.systemId}</span>${props.collapsed ? html` <span class="muted">(${childCount})</span>` : null}
        </span></th>
        <td>${node.kind}</td>
        <td class="mono state-cell" title=${stateValue(node.state)}>${stateValue(node.state)}</td>
        <td><span class=${`pill status ${node.status}`}>${node.status}</span></td>
        <td class=${`num restarts ${node.restarts > 0 ? 'warn-text' : ''}`}>${node.restarts}</td>
        <td class="num">${duration(uptime === null ? null : Math.floor(uptime / 1_000) * 1_000)}</td>
        <td>${props.machine ? html`<a href=${href('statecharts', { actor: node.systemId })} title=${`machine ${props.machine}`} aria-label=${`Statechart of ${node.systemId} (machine ${props.machine})`}>statechart</a>` : null}</td>
      </tr>
    `;
  },
  (before, after) =>
    before.row.node === after.row.node && before.row.depth === after.row.depth && before.collapsed === after.collapsed && before.index === after.index && before.machine === after.machine && before.flashedAt === after.flashedAt && (Math.floor(before.now / 1_000) === Math.floor(after.now / 1_000)),
);

function countActors(root: ActorNode | null): number {
  if (!root) return 0;
  return 1 + root.children.reduce((sum, child) => sum + countActors(child), 0);
}
