import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import { send } from '../api/http.ts';
import { notify } from '../state/notices.ts';
import type { OrderRow } from '../state/orderBook.ts';
import { fieldErrors } from '../ui/fieldErrors.ts';
import { num } from '../ui/format.ts';
import { useSubmit } from '../ui/formSubmit.ts';
import { Modal } from '../ui/modal.ts';

const path = (order: OrderRow, action: 'cancel' | 'modify') => `/orders/${encodeURIComponent(order.clientOrderId)}/${action}`;
const describe = (order: OrderRow) => `${order.side} ${order.quantity} ${order.symbol} ${order.contractMonth ?? ''} ${order.orderType}${order.limitPrice !== null ? ` @ ${num(order.limitPrice)}` : ''}`;

/** Asks before cancelling: POST /orders/{id}/cancel queues a cancel request, as the CLI does. */
export function CancelDialog(props: { order: OrderRow | null; onClose: () => void }): VNode {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const { order } = props;
  const confirm = async () => {
    if (!order) return;
    setBusy(true);
    try {
      await send('POST', path(order, 'cancel'));
      notify('success', `Cancel requested for ${order.clientOrderId}.`);
      setError(null);
      props.onClose();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  const problems = fieldErrors(error);
  return html`
    <${Modal} id="cancel-dialog" title="Cancel order" open=${order !== null} onClose=${() => (setError(null), props.onClose())}>
      ${order
        ? html`<p>Cancel <strong class="mono">${order.clientOrderId}</strong> (${describe(order)}, ${order.state}, filled ${order.filledQuantity})?</p>
            ${problems.message ? html`<p class="form-error" role="alert">${problems.message}</p>` : null}
            <div class="actions">
              <button type="button" class="button" autofocus onClick=${props.onClose}>Keep the order</button>
              <button type="button" class="button danger" disabled=${busy} onClick=${confirm}>Cancel the order</button>
            </div>`
        : null}
    <//>
  `;
}

/** Changes quantity, limit or stop price: POST /orders/{id}/modify with the fields that changed. */
export function ModifyDialog(props: { order: OrderRow | null; onClose: () => void }): VNode {
  const { order } = props;
  return html`
    <${Modal} id="modify-dialog" title="Modify order" open=${order !== null} onClose=${props.onClose}>
      ${order ? html`<${ModifyForm} key=${order.clientOrderId} order=${order} onDone=${props.onClose} />` : null}
    <//>
  `;
}

function ModifyForm(props: { order: OrderRow; onDone: () => void }): VNode {
  const { order } = props;
  const [values, setValues] = useState({ quantity: String(order.quantity), limitPrice: order.limitPrice === null ? '' : String(order.limitPrice), stopPrice: order.stopPrice === null ? '' : String(order.stopPrice) });
  const changes: Record<string, number> = {};
  if (values.quantity !== String(order.quantity) && values.quantity !== '') changes.quantity = Number(values.quantity);
  if (values.limitPrice !== (order.limitPrice === null ? '' : String(order.limitPrice)) && values.limitPrice !== '') changes.limitPrice = Number(values.limitPrice);
  if (values.stopPrice !== (order.stopPrice === null ? '' : String(order.stopPrice)) && values.stopPrice !== '') changes.stopPrice = Number(values.stopPrice);
  const { submit, busy, problems } = useSubmit(async () => {
    await send('POST', path(order, 'modify'), changes);
    notify('success', `Modify requested for ${order.clientOrderId}: ${Object.entries(changes).map(([key, value]) => `${key} ${value}`).join(', ')}.`);
    props.onDone();
  });
  const field = (name: 'quantity' | 'limitPrice' | 'stopPrice', label: string, step: string) => html`
    <label for=${`modify-${name}`}>${label}</label>
    <input id=${`modify-${name}`} name=${name} type="number" step=${step} value=${values[name]} onInput=${(e: Event) => setValues({ ...values, [name]: (e.target as HTMLInputElement).value })} aria-invalid=${problems.byField[name] ? 'true' : null} />
    ${problems.byField[name] ? html`<span class="field-error">${problems.byField[name]}</span>` : null}
  `;
  return html`
    <form class="form" onSubmit=${submit}>
      <p><strong class="mono">${order.clientOrderId}</strong>: ${describe(order)}</p>
      ${field('quantity', 'Quantity', '1')}
      ${field('limitPrice', 'Limit price', 'any')}
      ${field('stopPrice', 'Stop price', 'any')}
      ${problems.message ? html`<p class="form-error" role="alert">${problems.message}</p>` : null}
      <div class="actions">
        <button type="button" class="button" onClick=${props.onDone}>Close</button>
        <button type="submit" class="button primary" disabled=${busy || Object.keys(changes).length === 0}>Send modify</button>
      </div>
    </form>
  `;
}
