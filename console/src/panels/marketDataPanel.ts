import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { prices } from '../live/feeds.ts';
import { priceHistory } from '../state/priceHistory.ts';
import { useSlice } from '../state/slice.ts';
import { duration, num } from '../ui/format.ts';
import { Sparkline } from '../ui/sparkline.ts';

/** A price older than this is shown as stale. */
const STALE_MS = 5_000;

/** Per instrument: the consolidated price, its confidence, age, sources, contract month, quality-control rejects and its recent path (GET /prices each second). */
export function MarketDataPanel(): VNode {
  const [polled] = useSlice(prices.slice);
  const rows = polled.data?.prices ?? [];
  return html`
    <section class="card" aria-labelledby="md-title">
      <header class="card-head"><h2 id="md-title">Market data</h2></header>
      ${polled.error ? html`<p class="form-error" role="alert">GET /prices: ${polled.error}</p>` : null}
      <table class="grid">
        <thead><tr>
          <th scope="col">Symbol</th><th scope="col">Month</th><th scope="col" class="num">Price</th><th scope="col" class="num">Confidence ±</th>
          <th scope="col" class="num">Bid</th><th scope="col" class="num">Ask</th><th scope="col" class="num">Age</th><th scope="col" class="num">Sources</th>
          <th scope="col">Rejects (by reason)</th><th scope="col">Last 2 min</th>
        </tr></thead>
        <tbody>
          ${rows.map((row) => {
            const stale = row.ageMs === null || row.ageMs > STALE_MS || row.price === null;
            const rejects = Object.entries(row.rejects ?? {});
            return html`<tr key=${row.symbol} class=${stale ? 'stale' : ''} data-symbol=${row.symbol}>
              <th scope="row">${row.symbol}</th>
              <td class="mono">${row.contractMonth ?? '—'}</td>
              <td class="num strong">${row.price === null ? html`<span class="warn-text" title=${`last ${num(row.last)}`}>no live price</span>` : num(row.price)}</td>
              <td class="num">${num(row.confidence)}</td>
              <td class="num">${num(row.bid)}</td>
              <td class="num">${num(row.ask)}</td>
              <td class=${`num ${stale ? 'warn-text' : ''}`}>${duration(row.ageMs)}</td>
              <td class=${`num ${row.sources === 0 ? 'warn-text' : ''}`}>${row.sources}</td>
              <td>${rejects.length === 0 ? html`<span class="muted">none</span>` : rejects.map(([reason, count]) => html`<span class="pill bad">${reason}: ${count}</span> `)}</td>
              <td><${Sparkline} points=${priceHistory.get(row.symbol) ?? []} label=${`${row.symbol} price`} /></td>
            </tr>`;
          })}
        </tbody>
      </table>
      ${rows.length === 0 && !polled.error ? html`<p class="empty">No instruments configured, or not read yet.</p>` : null}
    </section>
  `;
}
