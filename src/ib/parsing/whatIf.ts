import type { OrderState } from '@stoqey/ib';
import type { WhatIfMargins } from '../session/orderFeed.ts';

/** The margin figures of a whatIf answer as IB sends them: numbers, or numeric strings from some servers. */
export type WhatIfOrderState = { [Field in keyof OrderState]?: OrderState[Field] | string };

/** Each domain margin figure → the IB OrderState field it is read from. */
export const WHAT_IF_FIELDS: Readonly<Record<keyof WhatIfMargins, keyof OrderState>> = {
  initMarginChange: 'initMarginChange',
  maintMarginChange: 'maintMarginChange',
  initMarginAfter: 'initMarginAfter',
  maintMarginAfter: 'maintMarginAfter',
  equityWithLoanAfter: 'equityWithLoanAfter',
};

/** IB's Double.MAX ("not computed") and anything above this are not figures. */
const NOT_COMPUTED = 1e300;

/** One figure: a finite number, or NaN when IB did not compute it (the margin check then refuses). */
export function marginFigure(value: unknown): number {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n < NOT_COMPUTED ? n : Number.NaN;
}

/** The margins a whatIf answer reports. */
export function whatIfMargins(state: WhatIfOrderState | undefined): WhatIfMargins {
  return {
    initMarginChange: marginFigure(state?.[WHAT_IF_FIELDS.initMarginChange]),
    maintMarginChange: marginFigure(state?.[WHAT_IF_FIELDS.maintMarginChange]),
    initMarginAfter: marginFigure(state?.[WHAT_IF_FIELDS.initMarginAfter]),
    maintMarginAfter: marginFigure(state?.[WHAT_IF_FIELDS.maintMarginAfter]),
    equityWithLoanAfter: marginFigure(state?.[WHAT_IF_FIELDS.equityWithLoanAfter]),
  };
}
