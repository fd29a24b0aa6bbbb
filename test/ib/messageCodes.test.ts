import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@stoqey/ib';
import {
  CATEGORY_POLICY,
  MESSAGE_CATEGORIES,
  MESSAGE_CODE_RANGES,
  MESSAGE_CODE_TABLE,
  classifyMessage,
  type MessageCategory,
} from '../../src/ib/messageCodes/index.ts';

const categoryOf = (code: number, message?: string) => classifyMessage(code, message).category;

describe('message code table integrity', () => {
  it('lists every code once', () => {
    const seen = new Map<number, number>();
    for (const e of MESSAGE_CODE_TABLE) seen.set(e.code, (seen.get(e.code) ?? 0) + 1);
    const duplicates = [...seen].filter(([, n]) => n > 1).map(([code]) => code);
    expect(duplicates).toEqual([]);
  });

  it('uses only integer codes, known categories and non-empty descriptions', () => {
    for (const e of MESSAGE_CODE_TABLE) {
      expect(Number.isInteger(e.code), `code ${e.code}`).toBe(true);
      expect(MESSAGE_CATEGORIES).toContain(e.category);
      expect(e.category, `code ${e.code}`).not.toBe('unknown');
      expect(e.description.length, `code ${e.code}`).toBeGreaterThan(0);
      for (const v of e.variants ?? []) {
        expect(MESSAGE_CATEGORIES).toContain(v.category);
        // A /g or /y pattern keeps state between test() calls and would match every other message.
        expect(v.when.global || v.when.sticky, `code ${e.code}`).toBe(false);
      }
    }
  });

  it('gives every category an action, a severity and a routing', () => {
    for (const category of MESSAGE_CATEGORIES) {
      const policy = CATEGORY_POLICY[category];
      expect(policy, category).toBeDefined();
      expect(['info', 'warning', 'error']).toContain(policy.severity);
      expect(['connection', 'order', 'request', 'none']).toContain(policy.routing);
      expect(typeof policy.action).toBe('string');
    }
  });

  it('has non-overlapping, well-formed ranges', () => {
    const ranges = [...MESSAGE_CODE_RANGES].sort((a, b) => a.from - b.from);
    ranges.forEach((r, i) => {
      expect(r.from).toBeLessThanOrEqual(r.to);
      if (i > 0) expect(r.from).toBeGreaterThan(ranges[i - 1]!.to);
    });
  });

  it('classifies every code in @stoqey/ib ErrorCode as something other than unknown', () => {
    const codes = Object.values(ErrorCode).filter((v): v is number => typeof v === 'number' && v >= 0);
    expect(codes.length).toBeGreaterThan(50);
    const unclassified = codes.filter((code) => categoryOf(code) === 'unknown');
    expect(unclassified).toEqual([]);
  });
});

describe('key codes', () => {
  const cases: [number, MessageCategory, string][] = [
    [1100, 'connectivity_lost', 'hold_orders'],
    [2110, 'connectivity_lost', 'hold_orders'],
    [1101, 'restored_data_lost', 'resubscribe_market_data'],
    [1102, 'restored_data_kept', 'resume'],
    [2103, 'data_farm_broken', 'mark_farm_down'],
    [2105, 'data_farm_broken', 'mark_farm_down'],
    [2157, 'data_farm_broken', 'mark_farm_down'],
    [2104, 'data_farm_ok', 'mark_farm_up'],
    [2106, 'data_farm_ok', 'mark_farm_up'],
    [2158, 'data_farm_ok', 'mark_farm_up'],
    [2107, 'data_farm_inactive', 'none'],
    [2108, 'data_farm_inactive', 'none'],
    [326, 'client_id_in_use', 'next_client_id'],
    [502, 'client_error', 'reconnect'],
    [504, 'client_error', 'reconnect'],
    [507, 'client_error', 'reconnect'],
    [509, 'client_error', 'reconnect'],
    [510, 'client_error', 'reconnect'],
    [586, 'client_error', 'reconnect'],
    [1300, 'client_error', 'reconnect'],
    [100, 'pacing_violation', 'slow_down'],
    [201, 'order_rejected', 'notify_order'],
    [202, 'order_cancelled', 'notify_order'],
    [10147, 'cancel_failed', 'notify_order'],
    [10148, 'cancel_failed', 'notify_order'],
    [161, 'cancel_failed', 'notify_order'],
    [2102, 'modify_rejected', 'notify_order'],
    [399, 'order_warning', 'notify_order'],
    [2109, 'order_warning', 'notify_order'],
    [2137, 'order_warning', 'notify_order'],
    [200, 'contract_or_data_error', 'notify_requester'],
    [162, 'contract_or_data_error', 'notify_requester'],
    [354, 'contract_or_data_error', 'notify_requester'],
    [10167, 'contract_or_data_error', 'notify_requester'],
    [10168, 'contract_or_data_error', 'notify_requester'],
    [10090, 'contract_or_data_error', 'notify_requester'],
  ];

  it.each(cases)('%i is %s with action %s', (code, category, action) => {
    const result = classifyMessage(code);
    expect(result.category).toBe(category);
    expect(result.action).toBe(action);
  });

  it('routes order outcomes to the order and request failures to the requester', () => {
    expect(classifyMessage(201).routing).toBe('order');
    expect(classifyMessage(10147).routing).toBe('order');
    expect(classifyMessage(200).routing).toBe('request');
    expect(classifyMessage(1100).routing).toBe('connection');
    expect(classifyMessage(2108).routing).toBe('none');
  });

  it('does not reconnect on codes that a reconnect cannot fix', () => {
    // 501: @stoqey/ib says "already connected"; 503: TWS too old for one request; 517/579: bad contract or symbol.
    for (const code of [501, 503, 517, 579, 585]) expect(classifyMessage(code).action, `code ${code}`).not.toBe('reconnect');
  });

  it('treats unlisted 2100-2999 notices as info and anything else unlisted as unknown', () => {
    expect(classifyMessage(2119)).toMatchObject({ category: 'info', action: 'log', severity: 'info', routing: 'none' });
    expect(classifyMessage(9_999)).toMatchObject({ category: 'unknown', action: 'log', routing: 'none' });
    expect(classifyMessage(3000).category).toBe('unknown');
  });
});

describe('message matchers', () => {
  const pacingText = 'Historical Market Data Service error message:Historical data request pacing violation';

  it('makes 162 a historical pacing violation only when its text says so', () => {
    expect(classifyMessage(162, pacingText)).toMatchObject({
      category: 'historical_pacing_violation',
      action: 'requeue_request',
      routing: 'request',
    });
    expect(categoryOf(162, 'Historical Market Data Service error message:HMDS query returned no data')).toBe('contract_or_data_error');
    expect(categoryOf(162, 'API historical data query cancelled: 7')).toBe('contract_or_data_error');
    expect(categoryOf(162)).toBe('contract_or_data_error');
  });

  it('matches the pacing text regardless of case', () => {
    expect(categoryOf(162, 'HISTORICAL DATA REQUEST PACING VIOLATION')).toBe('historical_pacing_violation');
  });

  it('recognises pacing in 420 (real-time query) and the simultaneous-request limit in 322', () => {
    expect(categoryOf(420, 'Invalid Real-time Query:Historical data request pacing violation')).toBe('historical_pacing_violation');
    expect(categoryOf(420, 'Invalid Real-time Query:No market data permissions')).toBe('contract_or_data_error');
    expect(categoryOf(322, "Error processing request:-'bK' : cause - Only 50 simultaneous API historical data requests allowed.")).toBe(
      'historical_pacing_violation',
    );
    expect(categoryOf(322, 'Error processing request: duplicate ticker id')).toBe('contract_or_data_error');
  });

  it('never lets message text change a code that has no matcher', () => {
    expect(categoryOf(201, 'pacing violation')).toBe('order_rejected');
    expect(categoryOf(100, 'anything')).toBe('pacing_violation');
  });

  it('gives the same answer on repeated calls (matchers hold no state)', () => {
    const answers = Array.from({ length: 4 }, () => categoryOf(162, pacingText));
    expect(answers).toEqual(Array(4).fill('historical_pacing_violation'));
  });
});
