/** The fields of an IB contract that identify a contract-details request for a future. */
export interface ContractKeyFields {
  symbol?: string;
  secType?: string;
  exchange?: string;
  currency?: string;
  lastTradeDateOrContractMonth?: string;
  conId?: number;
}

/**
 * A stable cache key for one contract-details request, e.g. `FUT:ES:CME:USD:202512:0`.
 * IB reads an empty string as "not set" and conId 0 as "no conId", so those equal a missing
 * field. Case is kept: the key says exactly what was asked, and two spellings cost at most a
 * second cache entry, whereas folding them could answer one request with another's result.
 * Parts are URI-encoded so a `:` inside a value cannot make two requests share a key.
 */
export function contractKey(fields: ContractKeyFields): string {
  const conId = fields.conId ?? 0;
  if (!Number.isInteger(conId) || conId < 0) throw new RangeError(`conId must be a non-negative integer, got ${fields.conId}`);
  return [fields.secType, fields.symbol, fields.exchange, fields.currency, fields.lastTradeDateOrContractMonth]
    .map((part) => encodeURIComponent(part?.trim() ?? ''))
    .concat(String(conId))
    .join(':');
}
