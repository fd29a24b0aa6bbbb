import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { useCallback, useMemo, useState } from 'preact/hooks';
import { canOperate, session } from '../api/session.ts';
import { recentFills } from '../live/feeds.ts';
import { orderBook, type OrderRow } from '../state/orderBook.ts';
import { useSlice } from '../state/slice.ts';
import { num, time } from '../ui/format.ts';
import { memoized } from '../ui/memoized.ts';
import { VirtualRows } from '../ui/virtualRows.ts';
import { CancelDialog, ModifyDialog } from './orderActions.ts';
import { OrderDrawer } from './orderDrawer.ts';

const ROW_HEIGHT = 32;
const COLUMNS = 13;

export interface OrderFilters {
  strategy: string;
  symbol: string;
  /** `open`, `finished`, `all`, or one state. */
  state: string;
}

const matches = (row: OrderRow, filters: OrderFilters) =>
  (filters.strategy === '' || row.strategy === filters.strategy) &&
  (filters.symbol === '' || row.symbol === filters.symbol) &&
  (filters.state === 'all' || (filters.state === 'open' ? !row.terminal : filters.state === 'finished' ? row.terminal : row.state === filters.state));

/**
 * The blotter: open and recent orders, live from the order events; history, modify and cancel per
 * order. Only the rows on screen are rendered, so 1,000 open orders stay cheap.
 */
export function OrdersPanel(props: { params: URLSearchParams }): VNode {
  const [book, version] = useSlice(orderBook.slice);
  const [who] = useSlice(session);
  const [filters, setFilters] = useState<OrderFilters>({ strategy: props.params.get('strategy') ?? '', symbol: props.params.get('symbol') ?? '', state: props.params.get('state') ?? 'all' });
  const [drawer, setDrawer] = useState<string | null>(null);
  const [action, setAction] = useState<{ kind: 'cancel' | 'modify'; order: OrderRow } | null>(null);
  const act = useCallback((kind: 'cancel' | 'modify', id: string) => {
    const order = orderBook.get(id);
    if (order) setAction({ kind, order });
  }, []);
  const all = book.list();
  const options = useMemo(() => {
    const strategies = new Set<string>();
    const symbols = new Set<string>();
    const states = new Set<string>();
    for (const row of all) {
      if (row.strategy) strategies.add(row.strategy);
      if (row.symbol) symbols.add(row.symbol);
      states.add(row.state);
    }
    return { strategies: [...strategies].sort(), symbols: [...symbols].sort(), states: [...states].sort() };
  }, [version]);
  const rows = useMemo(() => all.filter((row) => matches(row, filters)), [version, filters]);
  const openCount = useMemo(() => all.reduce((count, row) => count + (row.terminal ? 0 : 1), 0), [version]);
  const operator = canOperate(who);
  const set = (key: keyof OrderFilters) => (event: Event) => setFilters({ ...filters, [key]: (event.target as HTMLSelectElement).value });
  const head = html`<thead><tr aria-rowindex="1">
    <th scope="col">Received</th><th scope="col">Order</th><th scope="col">Strategy</th><th scope="col">Symbol</th><th scope="col">Month</th>
    <th scope="col">Side</th><th scope="col" class="num">Qty</th><th scope="col">Type</th><th scope="col" class="num">Limit / stop</th>
    <th scope="col">State</th><th scope="col" class="num">Filled</th><th scope="col" class="num">Avg price</th><th scope="col">Actions</th>
  </tr></thead>`;
  return html`
    <section class="card" aria-labelledby="orders-title">
      <header class="card-head">
        <h2 id="orders-title">Orders</h2>
        <div class="filters" role="group" aria-label="Filter orders">
          <label for="orders-strategy">Strategy</label>
          <select id="orders-strategy" value=${filters.strategy} onChange=${set('strategy')}>
            <option value="">all</option>
            ${options.strategies.map((name) => html`<option value=${name}>${name}</option>`)}
          </select>
          <label for="orders-symbol">Symbol</label>
          <select id="orders-symbol" value=${filters.symbol} onChange=${set('symbol')}>
            <option value="">all</option>
            ${options.symbols.map((name) => html`<option value=${name}>${name}</option>`)}
          </select>
          <label for="orders-state">State</label>
          <select id="orders-state" value=${filters.state} onChange=${set('state')}>
            <option value="all">all</option>
            <option value="open">open</option>
            <option value="finished">finished</option>
            ${options.states.map((name) => html`<option value=${name}>${name}</option>`)}
          </select>
        </div>
      </header>
      <p class="footnote" id="orders-count" aria-live="off">${rows.length} shown · ${openCount} open · ${book.size} held (all open orders and the latest finished ones)</p>
      <${VirtualRows}
        items=${rows}
        rowHeight=${ROW_HEIGHT}
        height=${560}
        columns=${COLUMNS}
        label="Order blotter"
        tableClass="grid blotter"
        head=${head}
        row=${(row: OrderRow, index: number) => html`<${OrderLine} key=${row.clientOrderId} row=${row} index=${index} operator=${operator} onHistory=${setDrawer} onAction=${act} />`}
      />
    </section>
    <${RecentFills} />
    <${OrderDrawer} clientOrderId=${drawer} onClose=${() => setDrawer(null)} />
    <${CancelDialog} order=${action?.kind === 'cancel' ? action.order : null} onClose=${() => setAction(null)} />
    <${ModifyDialog} order=${action?.kind === 'modify' ? action.order : null} onClose=${() => setAction(null)} />
  `;
}

const OrderLine = memoized(
  function OrderLine(props: { row: OrderRow; index: number; operator: boolean; onHistory: (id: string) => void; onAction: (kind: 'cancel' | 'modify', id: string) => void }): VNode {
    const { row } = props;
    const id = row.clientOrderId;
    const acts = props.operator && !row.terminal;
    const why = props.operator ? 'finished' : 'log in as operator';
    return html`
      <tr data-order-id=${id} aria-rowindex=${props.index + 2} class=${row.terminal ? 'finished' : 'open'}>
        <td class="mono">${time(row.receivedAt)}</td>
        <th scope="row" class="mono order-id" title=${id}>${id}</th>
        <td>${row.strategy ?? ''}</td>
        <td>${row.symbol}</td>
        <td class="mono">${row.contractMonth ?? ''}</td>
        <td class=${row.side === 'BUY' ? 'buy' : 'sell'}>${row.partial ? '' : row.side}</td>
        <td class="num">${row.partial ? '' : row.quantity}</td>
        <td>${row.orderType}</td>
        <td class="num">${row.limitPrice !== null ? num(row.limitPrice) : row.stopPrice !== null ? num(row.stopPrice) : ''}</td>
        <td><span class=${`pill state ${row.state}`} data-state=${row.state}>${row.state}</span></td>
        <td class="num" data-filled>${row.filledQuantity}${row.partial ? '' : ` / ${row.quantity}`}</td>
        <td class="num">${num(row.averagePrice)}</td>
        <td><div class="row-actions">
          <button type="button" class="button small" onClick=${() => props.onHistory(id)} aria-label=${`History of ${id}`}>History</button>
          <button type="button" class="button small" disabled=${!acts} title=${acts ? null : `Modify: ${why}`} onClick=${() => props.onAction('modify', id)} aria-label=${`Modify ${id}`}>Modify</button>
          <button type="button" class="button small danger" disabled=${!acts} title=${acts ? null : `Cancel: ${why}`} onClick=${() => props.onAction('cancel', id)} aria-label=${`Cancel ${id}`}>Cancel</button>
        </div></td>
      </tr>
    `;
  },
  (before, after) => before.row === after.row && before.index === after.index && before.operator === after.operator,
);

function RecentFills(): VNode {
  const [fills] = useSlice(recentFills);
  return html`
    <section class="card" aria-labelledby="fills-title">
      <header class="card-head"><h2 id="fills-title">Latest fills</h2></header>
      ${fills.length === 0
        ? html`<p class="empty">No fills since this page opened.</p>`
        : html`<ul class="fills">
            ${fills.slice(0, 8).map((fill) => html`<li key=${fill.execId}><span class="mono muted">${time(fill.time)}</span> <span class=${fill.side === 'BUY' ? 'buy' : 'sell'}>${fill.side}</span> ${fill.quantity} ${fill.symbol} ${fill.contractMonth ?? ''} @ ${num(fill.price)} <span class="mono muted">${fill.parentClientOrderId ?? fill.clientOrderId}</span></li>`)}
          </ul>`}
    </section>
  `;
}
