import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { send } from '../api/http.ts';
import { canOperate, session } from '../api/session.ts';
import type { PositionRow } from '../api/types.ts';
import { positions } from '../live/feeds.ts';
import { notify } from '../state/notices.ts';
import { useSlice } from '../state/slice.ts';
import { dateTime, num } from '../ui/format.ts';
import { useSubmit } from '../ui/formSubmit.ts';
import { Modal } from '../ui/modal.ts';

/** How much of a limit a position uses, as a meter. */
function Usage(props: { value: number; of: number | null | undefined; label: string }): VNode {
  if (props.of === null || props.of === undefined || props.of <= 0) return html`<span class="muted">—</span>`;
  const used = Math.abs(props.value) / props.of;
  return html`<span class="usage"><meter min="0" max="1" low="0.7" high="0.9" optimum="0" value=${Math.min(used, 1)} aria-label=${`${props.label}: ${Math.round(used * 100)}% of ${props.of}`}></meter> <span class=${used >= 1 ? 'bad-text' : used >= 0.9 ? 'warn-text' : ''}>${num(props.of)} (${Math.round(used * 100)}%)</span></span>`;
}

/** Broker against the position book per contract month, against limits and CFTC reportable levels; breaks highlighted and cleared here. */
export function PositionsPanel(): VNode {
  useEffect(() => positions.watch(), []);
  const [polled] = useSlice(positions.slice);
  const [who] = useSlice(session);
  const [clearing, setClearing] = useState<string | null>(null);
  const data = polled.data;
  const operator = canOperate(who);
  const broken = (row: PositionRow) => row.break !== null || row.difference !== 0;
  return html`
    <section class="card" aria-labelledby="positions-title">
      <header class="card-head"><h2 id="positions-title">Positions</h2><span class="muted">${data ? `broker as of ${dateTime(data.asOf)}` : ''}</span></header>
      ${polled.error ? html`<p class="form-error" role="alert">GET /positions: ${polled.error}</p>` : null}
      <table class="grid">
        <thead><tr>
          <th scope="col">Account</th><th scope="col">Symbol</th><th scope="col">Month</th><th scope="col" class="num">Broker</th><th scope="col" class="num">Internal</th>
          <th scope="col" class="num">Difference</th><th scope="col">Position limit</th><th scope="col">CFTC reportable level</th><th scope="col">Break</th>
        </tr></thead>
        <tbody>
          ${(data?.positions ?? []).map(
            (row) => html`<tr key=${`${row.account}|${row.symbol}|${row.contractMonth}`} class=${broken(row) ? 'break-row' : ''}>
              <td class="mono">${row.account}</td>
              <th scope="row">${row.symbol}</th>
              <td class="mono">${row.contractMonth ?? '—'}</td>
              <td class="num">${row.broker === null ? html`<span class="muted" title="the broker has not answered yet">—</span>` : num(row.broker)}</td>
              <td class="num">${num(row.internal)}</td>
              <td class=${`num ${row.difference !== 0 ? 'bad-text strong' : ''}`}>${num(row.difference)}</td>
              <td><${Usage} value=${row.internal} of=${row.limit} label=${`${row.symbol} position limit`} /></td>
              <td>${row.reportable ? html`<span class="pill warn">reportable</span> ` : null}<${Usage} value=${row.internal} of=${row.reportableLevel} label=${`${row.symbol} reportable level`} /></td>
              <td>${row.break ? html`<span class="pill bad">${row.break.reason}</span> <span class="muted">since ${dateTime(row.break.since)}</span>` : html`<span class="muted">none</span>`}</td>
            </tr>`,
          )}
        </tbody>
      </table>
      ${data && data.positions.length === 0 ? html`<p class="empty">Flat everywhere.</p>` : null}
    </section>
    <section class="card" aria-labelledby="breaks-title">
      <header class="card-head"><h2 id="breaks-title">Reconciliation breaks</h2></header>
      ${data && data.breaks.length === 0 ? html`<p class="empty">No open breaks: every instrument takes orders.</p>` : null}
      ${data && data.breaks.length > 0
        ? html`<table class="grid">
            <thead><tr><th scope="col">Symbol</th><th scope="col">Reason</th><th scope="col">Detail</th><th scope="col">Since</th><th scope="col">Action</th></tr></thead>
            <tbody>
              ${data.breaks.map(
                (item) => html`<tr key=${item.symbol} class="break-row">
                  <th scope="row">${item.symbol}</th><td>${item.reason}</td><td>${item.detail}</td><td class="mono">${dateTime(item.since)}</td>
                  <td><button type="button" class="button small" disabled=${!operator} title=${operator ? null : 'Log in as operator to clear'} onClick=${() => setClearing(item.symbol)}>Clear break…</button></td>
                </tr>`,
              )}
            </tbody>
          </table>`
        : null}
      <p class="footnote">A break locks its instrument (no new orders) until it is resolved and cleared.</p>
    </section>
    <${Modal} id="clear-break-dialog" title=${`Clear the break on ${clearing ?? ''}`} open=${clearing !== null} onClose=${() => setClearing(null)}>
      ${clearing ? html`<${ClearBreakForm} symbol=${clearing} onDone=${() => setClearing(null)} />` : null}
    <//>
  `;
}

function ClearBreakForm(props: { symbol: string; onDone: () => void }): VNode {
  const [reason, setReason] = useState('');
  const { submit, problems } = useSubmit(async () => {
    await send('POST', `/breaks/${encodeURIComponent(props.symbol)}/clear`, reason ? { reason } : {});
    notify('success', `Break on ${props.symbol} cleared: the instrument takes orders again.`);
    await positions.refresh();
    props.onDone();
  });
  return html`
    <form class="form" onSubmit=${submit}>
      <p>Clear only once the positions agree again (the broker's and the book's).</p>
      <label for="clear-reason">Reason (recorded in the audit trail)</label>
      <input id="clear-reason" name="reason" autofocus value=${reason} onInput=${(e: Event) => setReason((e.target as HTMLInputElement).value)} />
      ${problems.byField.reason ? html`<span class="field-error">${problems.byField.reason}</span>` : null}
      ${problems.message ? html`<p class="form-error" role="alert">${problems.message}</p>` : null}
      <div class="actions">
        <button type="button" class="button" onClick=${props.onDone}>Close</button>
        <button type="submit" class="button primary">Clear the break</button>
      </div>
    </form>
  `;
}
