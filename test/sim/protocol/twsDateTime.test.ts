import { describe, expect, it } from 'vitest';
import { parseTwsDateTime } from '../../../src/sim/protocol/twsDateTime.ts';

describe('parseTwsDateTime', () => {
  it('reads UTC with a dash or no zone, and honours a named zone', () => {
    expect(parseTwsDateTime('20261204-21:00:00')).toBe(Date.UTC(2026, 11, 4, 21));
    expect(parseTwsDateTime('20261204 21:00:00')).toBe(Date.UTC(2026, 11, 4, 21));
    expect(parseTwsDateTime('20261204 16:00:00 US/Eastern')).toBe(Date.UTC(2026, 11, 4, 21));
    expect(parseTwsDateTime('20260704 16:00:00 US/Eastern')).toBe(Date.UTC(2026, 6, 4, 20));
  });

  it.each(['', '20261204', '2026-12-04 16:00', '20261204-16:00:00 UTC', '20261204 16:00:00 Mars/Olympus', '20261304 16:00:00'])('refuses %j', (text) => {
    expect(parseTwsDateTime(text)).toBeUndefined();
  });
});
