import { describe, expect, it } from 'vitest';
import { exchangeZone, FALLBACK_ZONE } from '../../../src/ib/referenceData/exchangeZone.ts';

describe('exchangeZone', () => {
  it('keeps a zone IB names, its legacy ids included', () => {
    expect(exchangeZone('US/Central')).toBe('US/Central');
    expect(exchangeZone('Europe/Berlin')).toBe('Europe/Berlin');
  });

  it.each([undefined, '', 'Mars/Olympus'])('reads %j in Chicago', (zone) => {
    expect(exchangeZone(zone)).toBe(FALLBACK_ZONE);
    expect(FALLBACK_ZONE).toBe('America/Chicago');
  });
});
