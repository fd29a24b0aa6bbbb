import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.ts';
import { ContinuityStateFile, stateFilePathFor } from '../../../src/runtime/continuity/stateFile.ts';
import { createMemoryLogger } from '../../admin/memoryLogger.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'tw-state-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const anchors = { epoch: 'e-1', orderIdMarks: { ib: 151 }, auditHead: { streamId: '1700000000000-0', seq: 9, hash: 'a'.repeat(64) } };

describe('the continuity state file', () => {
  it('round-trips the anchors, creating its directory; unchanged anchors are not written again', async () => {
    const file = path.join(dir, 'nested', 'state.json');
    const state = new ContinuityStateFile(file, createMemoryLogger().logger);
    expect(await state.load()).toBeNull();
    await state.save(anchors);
    expect(await new ContinuityStateFile(file, createMemoryLogger().logger).load()).toEqual(anchors);
    const savedAt = (JSON.parse(readFileSync(file, 'utf8')) as { savedAt: string }).savedAt;
    await new Promise((resolve) => setTimeout(resolve, 5));
    await state.save({ ...anchors, orderIdMarks: { ib: 151 } });
    expect((JSON.parse(readFileSync(file, 'utf8')) as { savedAt: string }).savedAt).toBe(savedAt);
  });

  it('a file that is not a state file is reported, names the problem, and is treated as absent', async () => {
    for (const [name, content, problem] of [
      ['garbage.json', '{not json', 'is not JSON'],
      ['wrong.json', JSON.stringify({ version: 1, epoch: '', orderIdMarks: { ib: -1 }, auditHead: null, savedAt: 'x' }), 'is not a state file'],
    ] as const) {
      const file = path.join(dir, name);
      writeFileSync(file, content);
      const { logger, entries } = createMemoryLogger();
      expect(await new ContinuityStateFile(file, logger).load()).toBeNull();
      expect(entries.find((entry) => entry.level === 'warn')?.message).toMatch(problem);
    }
  });

  it('path: as configured; false for none; by default one under the OS temp dir with broker mode ib, none with sim', () => {
    const config = (overrides: object) => loadConfig({ env: { TRADEWIRE_DEMO: '0' }, overrides });
    expect(stateFilePathFor(config({ redis: { stateFile: '/var/lib/tw/state.json' } }))).toBe('/var/lib/tw/state.json');
    expect(stateFilePathFor(config({ broker: { mode: 'ib' }, redis: { stateFile: false } }))).toBeNull();
    expect(stateFilePathFor(config({ broker: { mode: 'sim' } }))).toBeNull();
    const ib = stateFilePathFor(config({ broker: { mode: 'ib' } }));
    expect(ib).toMatch(new RegExp(`^${tmpdir()}/tradewire/continuity-[0-9a-f]{16}\\.json$`));
    // Another IB login (or Redis) guards another store: another file.
    expect(stateFilePathFor(config({ broker: { mode: 'ib', ib: { clientId: 7 } } }))).not.toBe(ib);
    // So does another namespace on the same Redis and login; the default namespace keeps the file it had before namespaces.
    expect(stateFilePathFor(config({ namespace: 'paper-2', broker: { mode: 'ib' } }))).not.toBe(ib);
    const { redis, broker } = config({ broker: { mode: 'ib' } });
    const before = [redis.url, 'tradewire:audit:orders', `${broker.ib.host}:${broker.ib.port}`, broker.ib.clientId].join('|');
    expect(ib).toBe(path.join(tmpdir(), 'tradewire', `continuity-${createHash('sha256').update(before).digest('hex').slice(0, 16)}.json`));
  });
});
