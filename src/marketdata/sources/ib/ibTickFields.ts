import type { QuoteField } from '../tickWriter.ts';

/** IB tick types we turn into quotes: live bid/ask/last and their delayed twins. */
const FIELD_BY_TICK_TYPE: ReadonlyMap<number, QuoteField> = new Map([
  [1, 'bid'],
  [2, 'ask'],
  [4, 'last'],
  [66, 'bid'],
  [67, 'ask'],
  [68, 'last'],
]);

export function quoteFieldOf(tickType: number): QuoteField | undefined {
  return FIELD_BY_TICK_TYPE.get(tickType);
}
