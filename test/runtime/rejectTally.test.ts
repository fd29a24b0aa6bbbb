import { describe, expect, it } from 'vitest';
import { RejectLog, REVIEW_OUTLIER } from '../../src/marketdata/rejectLog.ts';
import { Reject } from '../../src/marketdata/rejectReasons.ts';
import { RejectTally } from '../../src/runtime/rejectTally.ts';

const SYMBOLS = ['ES', 'NQ'];
const instruments = { size: SYMBOLS.length, symbolOf: (index: number) => SYMBOLS[index]! };

function push(log: RejectLog, instrument: number, reason: number): void {
  log.push(0, 0, instrument, reason, 1, 2, 1.5, 0, 0);
}

describe('RejectTally', () => {
  it('counts each instrument’s rejected ticks by reason, from when it starts, leaving out outliers and unknown instruments', () => {
    const log = new RejectLog(64);
    push(log, 0, Reject.Crossed);
    const tally = new RejectTally({ rejectLog: log, instruments } as never, 60_000);
    try {
      push(log, 0, Reject.Crossed);
      push(log, 0, Reject.Crossed);
      push(log, 0, Reject.Spike);
      push(log, 1, Reject.FutureTimestamp);
      push(log, 0, REVIEW_OUTLIER);
      push(log, 7, Reject.UnknownInstrument);
      expect(tally.of('ES')).toEqual({ crossed: 2, spike: 1 });
      expect(tally.of('NQ')).toEqual({ future_timestamp: 1 });
      expect(tally.of('ZN')).toEqual({});
      push(log, 1, Reject.FutureTimestamp);
      expect(tally.of('NQ')).toEqual({ future_timestamp: 2 });
    } finally {
      tally.stop();
    }
  });

  it('counts what the ring still holds when more came between two reads than it keeps', () => {
    const log = new RejectLog(4);
    const tally = new RejectTally({ rejectLog: log, instruments } as never, 60_000);
    try {
      for (let i = 0; i < 10; i += 1) push(log, 0, Reject.NonFinite);
      expect(tally.of('ES')).toEqual({ non_finite: 4 });
    } finally {
      tally.stop();
    }
  });
});
