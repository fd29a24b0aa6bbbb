import {
  CATEGORY_POLICY,
  type MessageAction,
  type MessageCategory,
  type MessageRouting,
  type MessageSeverity,
} from './messageCategory.ts';
import { MESSAGE_CODE_RANGES, MESSAGE_CODE_TABLE, type MessageCodeEntry } from './messageCodeTable.ts';

export interface MessageClassification {
  readonly category: MessageCategory;
  readonly action: MessageAction;
  readonly severity: MessageSeverity;
  readonly routing: MessageRouting;
  readonly description: string;
}

const classification = (category: MessageCategory, description: string): MessageClassification =>
  Object.freeze({ category, ...CATEGORY_POLICY[category], description });

const UNKNOWN = classification('unknown', 'Unknown IB message code');

interface IndexedEntry {
  readonly base: MessageClassification;
  readonly variants: readonly { readonly when: RegExp; readonly result: MessageClassification }[];
}

// Built once so classifying a message allocates nothing.
const BY_CODE: ReadonlyMap<number, IndexedEntry> = new Map(
  MESSAGE_CODE_TABLE.map((e: MessageCodeEntry) => [
    e.code,
    {
      base: classification(e.category, e.description),
      variants: (e.variants ?? []).map((v) => ({ when: v.when, result: classification(v.category, v.description) })),
    },
  ]),
);

const RANGES = MESSAGE_CODE_RANGES.map((r) => ({ from: r.from, to: r.to, result: classification(r.category, r.description) }));

/**
 * Classifies any code IB (or @stoqey/ib) reports. Never throws: anything that is not a
 * known integer code, including NaN or a value of the wrong type, is `unknown`.
 */
export function classifyMessage(code: number, message?: string): MessageClassification {
  if (typeof code !== 'number' || !Number.isInteger(code)) return UNKNOWN;
  const known = BY_CODE.get(code);
  if (known) {
    if (typeof message === 'string') {
      for (const variant of known.variants) if (variant.when.test(message)) return variant.result;
    }
    return known.base;
  }
  for (const range of RANGES) if (code >= range.from && code <= range.to) return range.result;
  return UNKNOWN;
}
