/**
 * What an IB message means for the runtime, and what the IB connection actor does about it.
 * Categories are the stable interface; which code lands in which category lives in the table.
 */
export const MESSAGE_CATEGORIES = [
  'connectivity_lost',
  'restored_data_lost',
  'restored_data_kept',
  'data_farm_broken',
  'data_farm_ok',
  'data_farm_inactive',
  'client_id_in_use',
  'client_error',
  'pacing_violation',
  'historical_pacing_violation',
  'order_rejected',
  'modify_rejected',
  'order_cancelled',
  'cancel_failed',
  'order_warning',
  'contract_or_data_error',
  'request_unsupported',
  'info',
  'unknown',
] as const;

export type MessageCategory = (typeof MESSAGE_CATEGORIES)[number];

export type MessageAction =
  /** TWS lost its link to IB: place nothing new until a restore (1101/1102) or a reconnect. */
  | 'hold_orders'
  /** Link restored but subscriptions are gone: resubscribe all market data, then release held orders. */
  | 'resubscribe_market_data'
  /** Link restored with subscriptions intact: release held orders. */
  | 'resume'
  | 'mark_farm_down'
  | 'mark_farm_up'
  /** Our socket to TWS is unusable: drop it and connect again (with the supervisor's backoff). */
  | 'reconnect'
  | 'next_client_id'
  /** Error 100: the adaptive rate steps the outbound token bucket down. */
  | 'slow_down'
  /** The request was refused for pacing: re-queue it behind the historical pacing rules. */
  | 'requeue_request'
  | 'notify_order'
  | 'notify_requester'
  | 'log'
  | 'none';

export type MessageSeverity = 'info' | 'warning' | 'error';

/** Who gets the message: the connection actor itself, the order actor owning the id, the requester owning the id, or nobody. */
export type MessageRouting = 'connection' | 'order' | 'request' | 'none';

export interface CategoryPolicy {
  readonly action: MessageAction;
  readonly severity: MessageSeverity;
  readonly routing: MessageRouting;
}

export const CATEGORY_POLICY: { readonly [C in MessageCategory]: CategoryPolicy } = Object.freeze({
  connectivity_lost: { action: 'hold_orders', severity: 'error', routing: 'connection' },
  restored_data_lost: { action: 'resubscribe_market_data', severity: 'warning', routing: 'connection' },
  restored_data_kept: { action: 'resume', severity: 'info', routing: 'connection' },
  data_farm_broken: { action: 'mark_farm_down', severity: 'warning', routing: 'connection' },
  data_farm_ok: { action: 'mark_farm_up', severity: 'info', routing: 'connection' },
  // IB: farms go dormant when unused and wake on demand; nothing is wrong.
  data_farm_inactive: { action: 'none', severity: 'info', routing: 'none' },
  client_id_in_use: { action: 'next_client_id', severity: 'error', routing: 'connection' },
  client_error: { action: 'reconnect', severity: 'error', routing: 'connection' },
  pacing_violation: { action: 'slow_down', severity: 'error', routing: 'connection' },
  // Not a message-rate problem, so the global rate stays; only the refused request waits.
  historical_pacing_violation: { action: 'requeue_request', severity: 'warning', routing: 'request' },
  order_rejected: { action: 'notify_order', severity: 'error', routing: 'order' },
  // The order is still working at IB: only the modification failed.
  modify_rejected: { action: 'notify_order', severity: 'warning', routing: 'order' },
  order_cancelled: { action: 'notify_order', severity: 'warning', routing: 'order' },
  cancel_failed: { action: 'notify_order', severity: 'warning', routing: 'order' },
  order_warning: { action: 'notify_order', severity: 'warning', routing: 'order' },
  contract_or_data_error: { action: 'notify_requester', severity: 'error', routing: 'request' },
  // TWS is too old for this call: reconnecting cannot help, so it fails the request instead.
  request_unsupported: { action: 'notify_requester', severity: 'error', routing: 'request' },
  info: { action: 'log', severity: 'info', routing: 'none' },
  unknown: { action: 'log', severity: 'warning', routing: 'none' },
});
