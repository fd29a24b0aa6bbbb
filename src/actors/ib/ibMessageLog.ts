import type { Logger } from '../../log/logger.ts';
import { classifyMessage } from '../../ib/messageCodes/index.ts';

export type IbMessageLogLevel = 'error' | 'warn' | 'info';

/**
 * How loud an IB message is in the log. IB sends everything through its error channel, normal
 * events included: a farm going dormant or waking (2104-2108, 2158) and the 202 that confirms a
 * cancel we asked for are news, not warnings. A 202 that carries a reason is IB cancelling on its
 * own (a rejected modify, an expired order), which someone should read.
 */
export function ibMessageLogLevel(code: number, message: string): IbMessageLogLevel {
  const { category, severity } = classifyMessage(code, message);
  if (category === 'order_cancelled') return /reason:\s*$/i.test(message) ? 'info' : 'warn';
  if (category === 'unknown' || severity === 'warning') return 'warn';
  return severity === 'error' ? 'error' : 'info';
}

/**
 * One log line per IB message; unknown codes are always worth a look. IB's text goes in `ibText`:
 * winston appends a `message` field to the line's own message.
 */
export function logIbMessage(logger: Logger, fields: { systemId: string; code: number; message: string; reqId: number; hint?: string | null }): void {
  const { systemId, code, message, reqId, hint } = fields;
  const { category } = classifyMessage(code, message);
  logger[ibMessageLogLevel(code, message)](category === 'unknown' ? 'unknown IB message code' : `ib message ${code}`, { systemId, code, category, ibText: message, reqId, ...(hint ? { hint } : {}) });
}
