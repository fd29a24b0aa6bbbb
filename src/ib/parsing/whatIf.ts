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

/** IB's Double.MAX ("unset", 1.7976931348623157E308) and anything this large either way are not figures. */
const NOT_COMPUTED = 1e300;

/** A decimal number as text: optional sign, digits with an optional fraction, optional exponent. Nothing else. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** True for a number the margin check may use: finite and not IB's unset sentinel. */
export function isMarginFigure(n: unknown): n is number {
  return typeof n === 'number' && Number.isFinite(n) && Math.abs(n) < NOT_COMPUTED;
}

/**
 * One figure: a finite number, or NaN when IB did not give one (the margin check then refuses).
 * Missing, empty or blank text, text that is not a plain decimal, non-finite numbers and IB's unset
 * sentinel are all "no figure" — never 0, which would pass the check.
 */
export function marginFigure(value: unknown): number {
  if (typeof value === 'string') {
    const text = value.trim();
    if (!DECIMAL.test(text)) return Number.NaN;
    const n = Number(text);
    return isMarginFigure(n) ? n : Number.NaN;
  }
  return isMarginFigure(value) ? value : Number.NaN;
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
