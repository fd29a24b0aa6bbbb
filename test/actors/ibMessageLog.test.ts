import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ibMessageLogLevel, logIbMessage } from '../../src/actors/ib/ibMessageLog.ts';
import { classifyMessage } from '../../src/ib/messageCodes/index.ts';
import { createMemoryLogger } from '../admin/memoryLogger.ts';

describe('IB messages in the log', () => {
  it('a cancel we asked for (202 without a reason) is info; one IB made with a reason is a warning', () => {
    expect(ibMessageLogLevel(202, 'Order Canceled - reason:')).toBe('info');
    expect(ibMessageLogLevel(202, 'Order Canceled - reason: ')).toBe('info');
    expect(ibMessageLogLevel(202, 'Order Canceled - reason:The order was rejected by the exchange')).toBe('warn');
  });

  it('farms going dormant, waking or connecting are info; a broken farm or a lost link is not', () => {
    for (const code of [2104, 2106, 2107, 2108, 2158]) expect(ibMessageLogLevel(code, 'farm news')).toBe('info');
    expect(ibMessageLogLevel(2103, 'Market data farm connection is broken:usfarm')).toBe('warn');
    expect(ibMessageLogLevel(1100, 'Connectivity between IB and TWS has been lost')).toBe('error');
    expect(ibMessageLogLevel(201, 'Order rejected - reason:margin')).toBe('error');
  });

  it('any code: unknown codes warn, and no message is quieter than its category says unless it is a plain cancel', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10, max: 11_000 }), fc.string({ maxLength: 40 }), (code, text) => {
        const level = ibMessageLogLevel(code, text);
        const { category, severity } = classifyMessage(code, text);
        if (category === 'unknown') expect(level).toBe('warn');
        else if (category !== 'order_cancelled') expect(level).toBe(severity === 'warning' ? 'warn' : severity);
      }),
      { numRuns: 300 },
    );
  });

  it("one line per message, with IB's text as a field of its own rather than glued onto the log message", () => {
    const { logger, entries } = createMemoryLogger();
    logIbMessage(logger, { systemId: 'ib', code: 202, message: 'Order Canceled - reason:', reqId: 17 });
    logIbMessage(logger, { systemId: 'ib', code: 2108, message: 'Market data farm connection is inactive but should be available upon demand.usfarm', reqId: -1 });
    logIbMessage(logger, { systemId: 'ib', code: 9_999_999, message: 'new thing', reqId: -1 });
    expect(entries.map((entry) => [entry.level, entry.message, entry.category])).toEqual([
      ['info', 'ib message 202', 'order_cancelled'],
      ['info', 'ib message 2108', 'data_farm_inactive'],
      ['warn', 'unknown IB message code', 'unknown'],
    ]);
    expect(entries[0]).toMatchObject({ ibText: 'Order Canceled - reason:', reqId: 17, code: 202 });
  });
});
