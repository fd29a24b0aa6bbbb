import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { describeError, getJson } from '../api/http.ts';
import type { OrderDetail } from '../api/types.ts';
import { orderBook } from '../state/orderBook.ts';
import { dateTime, num, time } from '../ui/format.ts';
import { href } from '../ui/route.ts';

const HISTORY_FIELDS_SHOWN = new Set(['at', 'kind', 'seq']);

/**
 * One order in full (GET /orders/{id}): its terms, executions and audit trail, read again when an
 * event for it (or one of its TWAP slices) arrives. A side panel: Escape or Close returns focus.
 */
export function OrderDrawer(props: { clientOrderId: string | null; onClose: () => void }): VNode | null {
  const { clientOrderId } = props;
  const [detail, setDetail] = useState<OrderDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const panel = useRef<HTMLElement>(null);
  const opener = useRef<Element | null>(null);
  useEffect(() => {
    if (!clientOrderId) return;
    opener.current = document.activeElement;
    panel.current?.focus();
    let stale = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = () =>
      getJson<OrderDetail>(`/orders/${encodeURIComponent(clientOrderId)}`)
        .then((answer) => !stale && (setDetail(answer), setError(null)))
        .catch((failure: unknown) => !stale && setError(describeError(failure)));
    void read();
    // Events come in bursts (validating, submitting, working): read once they settle.
    orderBook.watchers.set(clientOrderId, () => {
      clearTimeout(timer);
      timer = setTimeout(read, 150);
    });
    return () => {
      stale = true;
      clearTimeout(timer);
      orderBook.watchers.delete(clientOrderId);
      setDetail(null);
    };
  }, [clientOrderId]);
  if (!clientOrderId) return null;
  const close = () => {
    props.onClose();
    (opener.current as HTMLElement | null)?.focus?.();
  };
  return html`
    <aside class="drawer" ref=${panel} tabindex="-1" role="dialog" aria-modal="false" aria-labelledby="drawer-title" onKeyDown=${(e: KeyboardEvent) => e.key === 'Escape' && close()}>
      <header class="card-head">
        <h2 id="drawer-title">Order <span class="mono">${clientOrderId}</span></h2>
        <button type="button" class="button small" onClick=${close}>Close</button>
      </header>
      ${error ? html`<p class="form-error" role="alert">${error}</p>` : null}
      ${detail === null
        ? html`<p class="empty">Reading…</p>`
        : html`
            <dl class="facts">
              <dt>State</dt><dd><span class=${`pill state ${detail.state}`}>${detail.state}</span> ${detail.brokerStatus ? html`<span class="muted">(broker: ${detail.brokerStatus})</span>` : null}</dd>
              <dt>Terms</dt><dd>${detail.side} ${detail.quantity} ${detail.symbol} ${detail.contractMonth ?? ''} ${detail.orderType} ${detail.limitPrice !== null ? `limit ${num(detail.limitPrice)}` : ''} ${detail.stopPrice !== null ? `stop ${num(detail.stopPrice)}` : ''} ${detail.timeInForce}</dd>
              <dt>Account / strategy</dt><dd>${detail.account} / ${detail.strategy ?? '—'}</dd>
              <dt>Filled</dt><dd>${detail.filledQuantity} @ ${num(detail.averagePrice)}; commission ${num(detail.commission)}</dd>
              <dt>IB order id</dt><dd>${detail.ibOrderId ?? '—'}</dd>
              ${detail.rejectReason ? html`<dt>Rejected</dt><dd>${detail.rejectReason}</dd>` : null}
              <dt>Received / updated</dt><dd>${dateTime(detail.receivedAt)} / ${dateTime(detail.updatedAt)}</dd>
              <dt>Machine</dt><dd><a href=${href('statecharts', { actor: `order:${clientOrderId}` })}>Open the order's statechart</a></dd>
            </dl>
            <h3>Executions</h3>
            ${detail.executions.length === 0
              ? html`<p class="empty">None.</p>`
              : html`<table class="grid compact"><thead><tr><th scope="col">Exec id</th><th scope="col" class="num">Qty</th><th scope="col" class="num">Price</th><th scope="col">Time</th><th scope="col" class="num">Commission</th></tr></thead>
                  <tbody>${detail.executions.map((execution) => html`<tr key=${execution.execId}><td class="mono">${execution.execId}</td><td class="num">${execution.quantity}</td><td class="num">${num(execution.price)}</td><td class="mono">${time(execution.time)}</td><td class="num">${num(execution.commission)}</td></tr>`)}</tbody></table>`}
            <h3>History (audit trail)</h3>
            <ol class="history">
              ${detail.history.map(
                (entry, index) => html`<li key=${index}>
                  <span class="mono muted">${time(entry.at)}</span> <strong>${entry.kind}</strong>${' '}
                  <span class="history-fields">${Object.entries(entry)
                    .filter(([key]) => !HISTORY_FIELDS_SHOWN.has(key))
                    .map(([key, value]) => `${key}=${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
                    .join(' ')}</span>
                </li>`,
              )}
            </ol>
          `}
    </aside>
  `;
}
