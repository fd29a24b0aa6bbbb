import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AuditInputError, AuditRetention, AuditRetentionError, parseRetentionConfig, type OrderAuditTrail } from '../../src/audit/index.ts';
import { shiftYears } from '../../src/shared/calendarDays.ts';
import { received, useTrails } from './auditFixture.ts';
import { writeChain } from './trailCopy.ts';

const { redis, trail } = useTrails();

const DAY = 86_400_000;
const YEAR = 365 * DAY;
const retentionOf = (audit: OrderAuditTrail, config = parseRetentionConfig({})) => new AuditRetention(redis, audit.keys, config);

/** Records 6 and 5 years and a week ago (past retention), 3 years ago (archive age), and a day ago. */
async function agedTrail(): Promise<{ audit: OrderAuditTrail; times: number[] }> {
  const audit = trail();
  const now = Date.now();
  const times = [now - 6 * YEAR, now - 5 * YEAR - 7 * DAY, now - 3 * YEAR, now - DAY];
  await writeChain(redis, audit.keys.stream, times);
  return { audit, times };
}

describe('retention config', () => {
  it('defaults to 5 years, readily accessible for 2; may only be longer; errors name the key', () => {
    expect(parseRetentionConfig(undefined)).toEqual({ retentionYears: 5, readilyAccessibleYears: 2 });
    expect(parseRetentionConfig({ retentionYears: 7, readilyAccessibleYears: 3 })).toEqual({ retentionYears: 7, readilyAccessibleYears: 3 });
    const issues = (value: unknown) => {
      try {
        parseRetentionConfig(value);
        return [];
      } catch (error) {
        expect(error).toBeInstanceOf(AuditInputError);
        return (error as AuditInputError).issues;
      }
    };
    expect(issues({ retentionYears: 4 })).toEqual(['retentionYears: must be at least 5 (CFTC 1.31, NFA 2-10)']);
    expect(issues({ readilyAccessibleYears: 1 })).toEqual(['readilyAccessibleYears: must be at least 2 (CFTC 1.31)']);
    expect(issues({ retentionYears: 5, readilyAccessibleYears: 6 })).toEqual(['readilyAccessibleYears: must not exceed retentionYears']);
    expect(issues({ retentionYears: 5.5 })).toEqual(['retentionYears: must be a whole number of years']);
    expect(issues({ retentionYears: '5' })).toEqual(['retentionYears: expected number, got "5"']);
    expect(issues({ years: 5 })).toEqual(['years: unknown field']);
  });

  it('fast-check: "N years before" is never less than N full calendar years, and within a day of it', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2090, 0, 1) }), fc.integer({ min: 1, max: 30 }), (ms, years) => {
        const back = shiftYears(ms, -years);
        const date = new Date(ms);
        const backDate = new Date(back);
        expect(backDate.getUTCFullYear()).toBe(date.getUTCFullYear() - years);
        expect(shiftYears(back, years)).toBeLessThanOrEqual(ms);
        expect(ms - shiftYears(back, years)).toBeLessThanOrEqual(DAY);
        expect(shiftYears(ms, years)).toBeGreaterThan(ms);
      }),
      { numRuns: 1_000 },
    );
    expect(new Date(shiftYears(Date.UTC(2028, 1, 29, 12), -5)).toISOString()).toBe('2023-02-28T12:00:00.000Z');
    expect(new Date(shiftYears(Date.UTC(2024, 1, 29, 12), 5)).toISOString()).toBe('2029-03-01T12:00:00.000Z');
  });
});

describe('retention status and prune (real Redis)', () => {
  it('status: oldest, archive-age and deletable counts, next eligible date', async () => {
    const { audit, times } = await agedTrail();
    const status = await retentionOf(audit).status();
    expect(status).toMatchObject({
      retentionYears: 5, readilyAccessibleYears: 2, records: 4, olderThanReadilyAccessible: 3, eligibleForDeletion: 2, checkpoint: undefined,
      oldest: { seq: 1, ts: new Date(times[0]!).toISOString() }, newest: { seq: 4 },
    });
    expect(status.nextEligibleForDeletion).toBe(new Date(shiftYears(times[0]!, 5)).toISOString());
    expect((await retentionOf(audit, parseRetentionConfig({ retentionYears: 10 })).status()).eligibleForDeletion).toBe(0);
    expect(await retentionOf(trail()).status()).toMatchObject({ records: 0, oldest: undefined, eligibleForDeletion: 0, nextEligibleForDeletion: undefined });
  });

  it('refuses to cut a record younger than the retention period, deleting nothing', async () => {
    const { audit, times } = await agedTrail();
    const retention = retentionOf(audit);
    await expect(retention.prune({ beforeMs: times[2]! + 1, approvedBy: 'compliance', reason: 'test' })).rejects.toThrow(AuditRetentionError);
    await expect(retention.prune({ beforeMs: Date.now() - 5 * YEAR + 7 * DAY, approvedBy: 'compliance', reason: 'test' })).rejects.toThrow(/inside the 5-year retention period; nothing was deleted/);
    await expect(retentionOf(audit, parseRetentionConfig({ retentionYears: 6 })).prune({ beforeMs: times[1]! + 1, approvedBy: 'c', reason: 'r' })).rejects.toThrow(AuditRetentionError);
    await expect(retention.prune({ beforeMs: times[1]! + 1, approvedBy: ' ', reason: 'r' })).rejects.toThrow(/approvedBy: must name who signed the deletion off/);
    expect(await redis.xlen(audit.keys.stream)).toBe(4);
    expect((await audit.verify()).ok).toBe(true);
  });

  it('a prune past retention writes a checkpoint, and the trail still verifies from it; appends carry on', async () => {
    const { audit, times } = await agedTrail();
    const result = await retentionOf(audit).prune({ beforeMs: times[1]! + 1, approvedBy: 'jane.doe (CCO)', reason: 'retention expired' });
    expect(result).toMatchObject({ removed: 2, checkpoint: { seq: 3 } });
    expect(await redis.xlen(audit.keys.stream)).toBe(2);

    const report = await audit.verify();
    expect(report.findings).toEqual([]);
    expect(report).toMatchObject({ ok: true, checked: 2, first: { seq: 3 } });
    expect(report.anchoredBy).toMatch(/prune checkpoint: seq 3 .* approved by jane\.doe \(CCO\)/);
    expect((await retentionOf(audit).status()).checkpoint).toMatchObject({ seq: 3, approvedBy: 'jane.doe (CCO)', reason: 'retention expired' });

    await audit.append(received('after-prune'));
    expect(await audit.verify()).toMatchObject({ ok: true, checked: 3, last: { seq: 5 } });

    // Removing the first kept record now shows as missing, checkpoint or not.
    const [first] = await audit.readRange({ limit: 1 });
    await redis.xdel(audit.keys.stream, first!.id);
    expect((await audit.verify()).findings.map((f) => f.message)).toEqual(['seq 3 is missing: removed from the trail']);
  });

  it('nothing older than the cut: nothing deleted, no checkpoint', async () => {
    const audit = trail();
    await audit.append(received('young'));
    const old = Date.now() - 6 * YEAR;
    expect(await retentionOf(audit).prune({ beforeMs: old, approvedBy: 'c', reason: 'r' })).toEqual({ removed: 0, checkpoint: undefined });
    expect(await redis.hget(audit.keys.meta, 'checkpointSeq')).toBeNull();
  });
});
