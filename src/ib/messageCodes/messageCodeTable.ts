import type { MessageCategory } from './messageCategory.ts';

/** Some codes change meaning with their text: 162 is only a pacing violation when it says so. */
export interface MessageVariant {
  readonly when: RegExp;
  readonly category: MessageCategory;
  readonly description: string;
}

export interface MessageCodeEntry {
  readonly code: number;
  readonly category: MessageCategory;
  readonly description: string;
  /** Tried in order before `category`; the first whose pattern matches the message wins. */
  readonly variants?: readonly MessageVariant[];
}

/** Codes not listed individually but inside a range IB documents as one kind. */
export interface MessageCodeRange {
  readonly from: number;
  readonly to: number;
  readonly category: MessageCategory;
  readonly description: string;
}

const entry = (code: number, category: MessageCategory, description: string, variants?: readonly MessageVariant[]): MessageCodeEntry =>
  variants ? { code, category, description, variants } : { code, category, description };

const each = (codes: readonly number[], category: MessageCategory, description: string): MessageCodeEntry[] =>
  codes.map((code) => entry(code, category, description));

const span = (from: number, to: number, except: readonly number[] = []): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i).filter((code) => !except.includes(code));

const HISTORICAL_PACING: MessageVariant = {
  when: /pacing violation/i,
  category: 'historical_pacing_violation',
  description: 'Historical data request pacing violation',
};

/**
 * Sources: IB's TWS API "Message Codes" list and `@stoqey/ib`'s ErrorCode enum (which also
 * emits 501-586 itself for client-side failures). Order-related codes arrive with the order id
 * as reqId, request-related ones with the request id.
 */
export const MESSAGE_CODE_TABLE: readonly MessageCodeEntry[] = Object.freeze([
  // System messages: TWS <-> IB server link.
  entry(1100, 'connectivity_lost', 'Connectivity between IB and TWS has been lost'),
  entry(2110, 'connectivity_lost', 'Connectivity between TWS and server is broken; it will be restored automatically'),
  entry(1101, 'restored_data_lost', 'Connectivity restored, market data subscriptions lost and must be resubmitted'),
  entry(1102, 'restored_data_kept', 'Connectivity restored, market data subscriptions maintained'),
  // TWS drops this connection when its API port setting changes; the message names the new port.
  entry(1300, 'client_error', 'TWS socket port was reset; this connection is dropped, reconnect on the new port'),

  // Data farms.
  entry(2103, 'data_farm_broken', 'A market data farm is disconnected'),
  entry(2105, 'data_farm_broken', 'A historical data farm is disconnected'),
  entry(2157, 'data_farm_broken', 'Sec-def data farm connection is broken'),
  entry(2104, 'data_farm_ok', 'Market data farm connection is OK'),
  entry(2106, 'data_farm_ok', 'A historical data farm is connected'),
  entry(2158, 'data_farm_ok', 'Sec-def data farm connection is OK'),
  entry(2107, 'data_farm_inactive', 'Historical data farm connection inactive, available on demand'),
  entry(2108, 'data_farm_inactive', 'Market data farm connection inactive, available on demand'),

  // Connection-level.
  entry(326, 'client_id_in_use', 'Unable to connect: client id already in use'),
  entry(100, 'pacing_violation', 'Max rate of messages per second has been exceeded'),
  // Emitted by @stoqey/ib when connect() is called while connected; reconnecting would be wrong.
  entry(501, 'info', 'Already connected'),
  entry(502, 'client_error', "Couldn't connect to TWS"),
  entry(504, 'client_error', 'Not connected'),
  entry(505, 'client_error', 'Fatal error: unknown message id (decoder out of step)'),
  entry(506, 'client_error', 'Unsupported server version'),
  entry(507, 'client_error', 'Bad message length: socket is no longer valid'),
  entry(508, 'client_error', 'Bad message'),
  entry(509, 'client_error', 'Failed to send message'),
  ...each(span(510, 584, [517, 579]), 'client_error', 'Client failed to send a request'),
  entry(586, 'client_error', 'Failed to read message because not connected'),
  // @stoqey/ib emits 503 per request when the server version lacks a feature.
  entry(503, 'request_unsupported', 'TWS is out of date and does not support this request'),
  entry(357, 'request_unsupported', 'Client version is out of date'),

  // Orders refused outright.
  entry(201, 'order_rejected', 'Order rejected'),
  entry(103, 'order_rejected', 'Duplicate order id'),
  entry(106, 'order_rejected', "Can't transmit order"),
  entry(107, 'order_rejected', 'Cannot transmit incomplete order'),
  entry(109, 'order_rejected', 'Price outside the precautionary percentage range; not transmitted'),
  entry(110, 'order_rejected', 'Price does not conform to the minimum price variation'),
  entry(111, 'order_rejected', 'TIF and order type are incompatible'),
  entry(113, 'order_rejected', 'TIF must be DAY for MOC and LOC orders'),
  entry(116, 'order_rejected', 'Order cannot be transmitted to a dead exchange'),
  entry(117, 'order_rejected', 'Block order size must be at least 50'),
  entry(129, 'order_rejected', 'VWAP order submitted too close to its start time'),
  entry(132, 'order_rejected', 'Order cannot be transmitted without a clearing account'),
  entry(133, 'order_rejected', 'Submit new order failed'),
  entry(140, 'order_rejected', 'Size value should be an integer'),
  entry(141, 'order_rejected', 'Price value should be a double'),
  entry(144, 'order_rejected', 'Order size does not match total share allocation'),
  entry(146, 'order_rejected', 'Invalid trigger method'),
  entry(152, 'order_rejected', 'Hidden attribute not allowed for this order'),
  entry(154, 'order_rejected', 'Orders cannot be transmitted for a halted security'),
  entry(157, 'order_rejected', 'Order can be either Iceberg or Discretionary'),
  entry(158, 'order_rejected', 'Trailing order needs an offset amount or percent'),
  entry(159, 'order_rejected', 'Percent offset must be between 0% and 100%'),
  entry(160, 'order_rejected', 'Size value cannot be zero'),
  entry(163, 'order_rejected', 'Price would violate the precautionary percentage constraint'),
  entry(164, 'order_rejected', 'No market data to check price percent violations'),
  entry(167, 'order_rejected', 'VWAP order time must be in the future'),
  entry(168, 'order_rejected', 'Discretionary amount does not conform to the minimum price variation'),
  entry(203, 'order_rejected', 'Security is not available or allowed for this account'),
  ...each(span(311, 315), 'order_rejected', 'Invalid order origin or combo details'),
  entry(325, 'order_rejected', 'Discretionary orders not supported for this exchange and order type'),
  entry(328, 'order_rejected', 'Trailing stop can attach to limit or stop-limit orders only'),
  entry(332, 'order_rejected', 'Account codes for the order profile are invalid'),
  entry(334, 'order_rejected', 'Invalid Good Till Date order'),
  entry(336, 'order_rejected', 'Invalid time or time zone'),
  entry(337, 'order_rejected', 'Invalid date, time or time zone'),
  entry(338, 'order_rejected', 'Good After Time orders disabled on this exchange'),
  entry(342, 'order_rejected', 'Pegged order not supported on this exchange'),
  entry(351, 'order_rejected', 'Regular Trading Hours only flag not valid for this order'),
  entry(355, 'order_rejected', 'Order size does not conform to market rule'),
  entry(356, 'order_rejected', 'Smart-combo order does not support OCA group'),
  ...each(span(361, 364), 'order_rejected', 'Invalid trigger or adjusted stop price'),
  entry(382, 'order_rejected', 'Price violates the precautionary number-of-ticks constraint'),
  entry(383, 'order_rejected', 'Size violates the precautionary size constraint'),
  entry(387, 'order_rejected', 'Unsupported order type for this exchange and security type'),
  entry(388, 'order_rejected', 'Order size is smaller than the minimum'),
  entry(392, 'order_rejected', 'Invalid order: contract expired'),
  entry(395, 'order_rejected', 'OCA orders currently not accepted due to system problems'),
  entry(396, 'order_rejected', 'Only market and limit orders currently accepted'),
  entry(397, 'order_rejected', 'Only market and limit orders currently accepted'),
  entry(400, 'order_rejected', 'Algo order error'),
  entry(401, 'order_rejected', 'Length restriction'),
  entry(403, 'order_rejected', 'Invalid stop price'),
  entry(411, 'order_rejected', 'Outside Regular Trading Hours flag not valid for this order'),
  entry(412, 'order_rejected', 'Contract is not available for trading'),
  entry(426, 'order_rejected', 'None of the accounts have enough shares'),
  entry(434, 'order_rejected', 'Order size cannot be zero'),
  entry(435, 'order_rejected', 'You must specify an account'),
  entry(436, 'order_rejected', 'You must specify an allocation'),
  entry(439, 'order_rejected', 'Algorithm definition not found'),
  entry(441, 'order_rejected', 'Algo attributes validation failed'),
  entry(442, 'order_rejected', 'Algorithm not allowed for this order'),
  entry(443, 'order_rejected', 'Unknown algo attribute'),
  entry(460, 'order_rejected', 'No trading permissions'),
  entry(10006, 'order_rejected', 'Missing parent order'),
  entry(10015, 'order_rejected', 'Trading is not allowed in the API'),
  entry(10020, 'order_rejected', 'Display size should be smaller than order size'),
  ...each(span(10243, 10254), 'order_rejected', 'Fractional size, cash quantity or expired bond not allowed'),
  ...each(span(10268, 10270), 'order_rejected', 'Order attribute no longer supported'),

  // A modification failed; the original order is still working.
  entry(104, 'modify_rejected', "Can't modify a filled order"),
  entry(105, 'modify_rejected', 'Order being modified does not match original order'),
  entry(134, 'modify_rejected', 'Modify order failed'),
  entry(329, 'modify_rejected', 'Order modify failed: cannot change to the new order type'),
  entry(440, 'modify_rejected', 'Order modify failed: algorithm cannot be modified'),
  entry(444, 'modify_rejected', 'Order not yet acknowledged: cannot submit changes'),
  entry(2102, 'modify_rejected', 'Unable to modify this order as it is still being processed'),
  entry(10241, 'modify_rejected', 'Monetary-quantity order cannot be modified via API'),
  entry(10242, 'modify_rejected', 'Fractional-sized order cannot be modified via API'),

  entry(202, 'order_cancelled', 'Order cancelled'),

  entry(161, 'cancel_failed', 'Cancel attempted when order is not in a cancellable state'),
  entry(135, 'cancel_failed', "Can't find order to cancel"),
  entry(136, 'cancel_failed', 'This order cannot be cancelled'),
  entry(137, 'cancel_failed', 'VWAP orders can only be cancelled up to three minutes before start'),
  entry(10147, 'cancel_failed', 'Order that needs to be cancelled is not found'),
  entry(10148, 'cancel_failed', 'Order that needs to be cancelled cannot be cancelled in its state'),

  entry(399, 'order_warning', 'Order message (warning; order still processed)'),
  entry(131, 'order_warning', 'Sweep-to-fill flag and display size will be ignored'),
  entry(404, 'order_warning', 'Shares not available for short sale; order held while locating'),
  entry(2109, 'order_warning', 'Outside Regular Trading Hours attribute ignored; order processed'),
  entry(2137, 'order_warning', 'Cross side warning'),
  entry(2168, 'order_warning', 'EtradeOnly attribute not supported'),
  entry(2169, 'order_warning', 'FirmQuoteOnly attribute not supported'),
  entry(10018, 'order_warning', 'Orders use EV warning'),
  entry(10019, 'order_warning', 'Trades use EV warning'),
  entry(10233, 'order_warning', 'Defaults were inherited from CASH preset'),
  entry(10349, 'order_warning', 'Order TIF was set from the order preset'),

  // Contract, market data and other requests.
  entry(200, 'contract_or_data_error', 'No security definition has been found for the request'),
  entry(162, 'contract_or_data_error', 'Historical market data service error', [HISTORICAL_PACING]),
  entry(420, 'contract_or_data_error', 'Invalid real-time query', [HISTORICAL_PACING]),
  entry(322, 'contract_or_data_error', 'Server error when processing an API client request', [
    {
      when: /simultaneous/i,
      category: 'historical_pacing_violation',
      description: 'Too many simultaneous historical data requests',
    },
  ]),
  entry(101, 'contract_or_data_error', 'Max number of tickers has been reached'),
  entry(102, 'contract_or_data_error', 'Duplicate ticker id'),
  entry(166, 'contract_or_data_error', 'HMDS expired contract violation'),
  entry(300, 'contract_or_data_error', "Can't find EId with ticker id"),
  entry(309, 'contract_or_data_error', 'Max number of market depth requests reached'),
  entry(310, 'contract_or_data_error', "Can't find the subscribed market depth"),
  entry(316, 'contract_or_data_error', 'Market depth data halted; re-subscribe'),
  entry(317, 'contract_or_data_error', 'Market depth data reset; empty the book before applying new entries'),
  entry(320, 'contract_or_data_error', 'Server error when reading an API client request'),
  entry(321, 'contract_or_data_error', 'Server error when validating an API client request'),
  entry(323, 'contract_or_data_error', 'Server error'),
  entry(354, 'contract_or_data_error', 'Not subscribed to requested market data'),
  entry(365, 'contract_or_data_error', 'No scanner subscription found for ticker id'),
  entry(366, 'contract_or_data_error', 'No historical data query found for ticker id'),
  entry(385, 'contract_or_data_error', 'Duplicate ticker id for API scanner subscription'),
  entry(386, 'contract_or_data_error', 'Duplicate ticker id for API historical data query'),
  entry(414, 'contract_or_data_error', 'Snapshot market data not applicable to generic ticks'),
  entry(430, 'contract_or_data_error', 'Fundamentals data not available for this security'),
  entry(517, 'contract_or_data_error', 'Unknown contract'),
  entry(579, 'contract_or_data_error', 'Invalid symbol in string'),
  entry(585, 'contract_or_data_error', 'FA profile is not supported anymore, use FA group'),
  entry(2101, 'contract_or_data_error', 'Unable to subscribe to account: another client holds a different account'),
  entry(10089, 'contract_or_data_error', 'Requested market data requires additional subscription for API'),
  entry(10090, 'contract_or_data_error', 'Part of requested market data is not subscribed'),
  // Data keeps flowing, but delayed: the requester must know before trading on it.
  entry(10167, 'contract_or_data_error', 'Not subscribed: displaying delayed market data'),
  entry(10168, 'contract_or_data_error', 'Not subscribed: delayed market data is not enabled'),
  entry(10186, 'contract_or_data_error', 'Not subscribed: delayed market data is not enabled'),
  entry(10197, 'contract_or_data_error', 'No market data during competing session'),
  entry(10225, 'contract_or_data_error', 'Bust event: real-time bars subscription deactivated, resubscribe'),
  ...each(span(10276, 10284), 'contract_or_data_error', 'WSH news feed request failed'),

  // Informational.
  entry(165, 'info', 'Historical market data service query message'),
  entry(492, 'info', 'Scanner results are low precision without additional permissions'),
  entry(2100, 'info', 'API client unsubscribed from account data after a new account request'),
  entry(2150, 'info', 'Invalid position trade derived value'),
]);

export const MESSAGE_CODE_RANGES: readonly MessageCodeRange[] = Object.freeze([
  // IB documents 2100-2999 as warnings; @stoqey/ib treats them all as non-fatal.
  { from: 2100, to: 2999, category: 'info', description: 'TWS warning or notice' },
]);
