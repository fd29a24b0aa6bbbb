import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { supervisionFeed } from '../state/actorTree.ts';
import { useSlice } from '../state/slice.ts';
import { time } from '../ui/format.ts';

const describe = (detail: unknown) => (detail === undefined || detail === null ? '' : typeof detail === 'string' ? detail : JSON.stringify(detail));

/** Restarts, escalations, stops and starts as they happen (the `supervision` events of GET /actors/stream). */
export function SupervisionFeed(): VNode {
  const [feed] = useSlice(supervisionFeed);
  const [lifecycle, setLifecycle] = useState(false);
  const entries = useMemo(() => (lifecycle ? [...feed.alerts, ...feed.lifecycle].sort((a, b) => b.seq - a.seq) : feed.alerts), [feed, lifecycle]);
  return html`
    <section class="card feed" aria-labelledby="feed-title">
      <header class="card-head"><h2 id="feed-title">Supervision feed</h2></header>
      <label class="check"><input type="checkbox" checked=${lifecycle} onChange=${(e: Event) => setLifecycle((e.target as HTMLInputElement).checked)} /> Also starts and stops (${feed.lifecycle.length})</label>
      ${feed.alerts.length === 0 ? html`<p class="empty">No restarts or escalations since this page opened.</p>` : null}
      <ol class="feed-list" aria-live="polite" aria-relevant="additions">
        ${entries.map(
          (entry) => html`<li key=${entry.seq} class=${`feed-entry ${entry.kind}`}>
            <span class="mono muted">${time(entry.at)}</span>
            <span class=${`pill ${entry.kind}`}>${entry.kind}</span>
            <span class="mono">${entry.systemId}</span>
            ${entry.detail === undefined ? null : html`<span class="feed-detail">${describe(entry.detail)}</span>`}
          </li>`,
        )}
      </ol>
    </section>
  `;
}
