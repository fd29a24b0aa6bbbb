import { describe, expect, it } from 'vitest';
import { AuditInputError, type AuditRecordInput } from '../../src/audit/index.ts';
import { formatVerifyReport, runAuditVerify } from '../../src/cli/actions/audit.ts';
import type { CliDeps } from '../../src/cli/cliDeps.ts';
import { REDIS_URL, received, useTrails } from './auditFixture.ts';

const { trail } = useTrails();
const HASH = 'c'.repeat(64);
const discontinuity: AuditRecordInput & { kind: 'discontinuity' } = { kind: 'discontinuity', actor: 'continuity', reason: 'the epoch e-1 is gone', lost: ['epoch', 'audit head'], epoch: 'e-2', previousEpoch: 'e-1' };

function captured(): { deps: CliDeps; out: string[] } {
  const out: string[] = [];
  return { out, deps: { out: (line) => out.push(line), err: (line) => out.push(line), env: {}, setExitCode: () => undefined } };
}

describe('audit discontinuities', () => {
  it('verify reports a discontinuity record, naming what was lost and the seqs of the trail as it was that are gone; exit 1', async () => {
    const audit = trail();
    await audit.append(received('after-1'));
    const written = await audit.append({ ...discontinuity, previousHead: { seq: 42, hash: HASH, streamId: '1700000000000-0' }, missingFromSeq: 1, missingToSeq: 42 });
    await audit.append(received('after-2'));
    const report = await audit.verify();
    expect(report.ok).toBe(false);
    expect(report.findings).toEqual([
      expect.objectContaining({ kind: 'discontinuity', seq: written.seq, id: written.id, lost: ['epoch', 'audit head'], missingFromSeq: 1, missingToSeq: 42 }),
    ]);
    expect(report.findings[0]?.message).toBe(
      `discontinuity at seq 2 (stream id ${written.id}, ${written.ts}): Redis lost its state (lost: epoch, audit head); seqs 1..42 of the trail as it was (its head: seq 42, hash ${HASH}) are gone; the chain restarted after seq 0`,
    );
    expect(formatVerifyReport(audit.keys.stream, report, {})).toMatch(/^DISCONTINUOUS \(Redis lost its state.*\): 1 finding$/m);
    const { deps, out } = captured();
    expect(await runAuditVerify({ redisUrl: REDIS_URL, key: audit.keys.stream }, deps)).toBe(1);
    expect(out.join('\n')).toContain('discontinuity at seq 2');
  });

  it('a loss with no audit record known before it names no gap', async () => {
    const audit = trail();
    await audit.append(discontinuity);
    const report = await audit.verify();
    expect(report.findings[0]?.message).toMatch(/no audit record was known before it, so none is known to be gone$/);
  });

  it('a record whose payload merely contains the words is not a discontinuity', async () => {
    const audit = trail();
    await audit.append(received('o-1', { payload: { kind: 'discontinuity', note: '"kind":"discontinuity"' } } as never));
    expect((await audit.verify()).ok).toBe(true);
  });

  it('runtime records are validated like any other: what is missing is named, nothing is written', async () => {
    const audit = trail();
    await expect(audit.append({ kind: 'intakeResumed', actor: 'admin', who: 'alice' } as never)).rejects.toThrow(AuditInputError);
    await expect(audit.append({ kind: 'intakeResumed', actor: 'admin', who: 'alice' } as never)).rejects.toThrow(/reason/);
    await expect(audit.append({ ...discontinuity, lost: ['everything'] } as never)).rejects.toThrow(/lost/);
    const resumed = await audit.append({ kind: 'intakeResumed', actor: 'admin', who: 'alice', reason: 'checked', requestId: 'r-1', causes: ['redis-state-lost'] });
    expect((await audit.runtimeHistory()).map((entry) => entry.id)).toEqual([resumed.id]);
    expect((await audit.verify()).ok).toBe(true);
  });
});
