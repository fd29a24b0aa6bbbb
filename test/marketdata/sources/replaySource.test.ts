import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestHarness, type TestHarness } from '../../../src/testing/harness.ts';
import { lifecycleOf } from '../../../src/machines/marketdata/sourceMachine.ts';
import { marketDataSubtree, sourceSystemId } from '../../../src/runtime/capabilities/marketDataSubtree.ts';
import { parseSourceConfigs } from '../../../src/marketdata/sources/sourceConfig.ts';
import { createSilentLogger } from '../../../src/log/logger.ts';
import { RecordingSink, SymbolList, settle } from './helpers.ts';
import { waitUntil } from '../../support/waitUntil.ts';

const index = new SymbolList(['ES', 'NQ', 'ZN', 'CL', 'GC']);
let harness: TestHarness | null = null;
const dirs: string[] = [];

afterEach(async () => {
  await harness?.stop();
  harness = null;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tradewire-replay-'));
  dirs.push(dir);
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function replay(options: Record<string, unknown>) {
  const sink = new RecordingSink(index);
  const spec = marketDataSubtree({
    sources: parseSourceConfigs([{ kind: 'replay', id: 'rep', checkIntervalMs: 100, maxAgeMs: 5_000, ...options }]),
    sink,
    index,
    logger: createSilentLogger(),
  })!;
  harness = createTestHarness({ children: [spec] });
  const h = harness;
  const node = () => h.tree.describe().children[0]!.children.find((c) => c.systemId === sourceSystemId('rep'))!;
  return { sink, h, node };
}

/** The sample file's data rows per symbol, as written. */
function sampleRows(file: string) {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#') && !line.startsWith('timestamp'))
    .map((line) => line.split(','));
}

describe('replay source', () => {
  it('replays the shipped daily sample as fast as possible, every row in order, then stops normally', async () => {
    const file = 'config/samples/futures-daily.csv';
    const { sink, h, node } = replay({ instruments: ['ES', 'NQ', 'ZN', 'CL', 'GC'], file, speed: 'max', timestamps: 'original' });
    await waitUntil(() => sink.healthOf('rep').at(-1) === 'stopped', 'replay finished');
    const rows = sampleRows(file);
    expect(sink.ticks).toHaveLength(rows.length);
    sink.ticks.forEach((tick, i) => {
      const [date, symbol, , , last] = rows[i]!;
      expect(tick).toMatchObject({ symbol, last: Number(last), sourceTsMs: Date.parse(`${date}T00:00:00Z`) });
      expect(tick.bid).toBeNaN();
    });
    // A replay that ends exits normally: stopped, not restarted (its child spec is transient).
    await waitUntil(() => node().status === 'stopped', 'child stopped');
    expect(node().restarts).toBe(0);
    expect(h.snapshot(sourceSystemId('rep'))).toBeUndefined();
  });

  it('at a chosen speed, paces rows by their timestamps on the (simulated) clock', async () => {
    // One-minute rows at speed 60: one row group per simulated second.
    const { sink, h } = replay({ instruments: ['ES', 'NQ'], file: 'config/samples/futures-intraday.csv', speed: 60, timestamps: 'original' });
    await waitUntil(() => sink.ticks.length === 2, 'first row group');
    expect(sink.ticks.map((t) => t.symbol)).toEqual(['ES', 'NQ']);
    expect(sink.ticks[0]!.sourceTsMs).toBe(Date.parse('2024-06-03T14:30:00Z'));
    h.advance(999);
    await settle();
    expect(sink.ticks).toHaveLength(2);
    h.advance(1);
    await settle();
    expect(sink.ticks).toHaveLength(4);
    expect(sink.ticks[2]!.sourceTsMs).toBe(Date.parse('2024-06-03T14:31:00Z'));
    for (let i = 0; i < 3; i += 1) {
      h.advance(1_000);
      await settle();
    }
    expect(sink.ticks).toHaveLength(10);
    expect(lifecycleOf(h.snapshot(sourceSystemId('rep')))).toBe('streaming');
  });

  it('counts garbage lines with their line numbers and replays the good ones, without failing', async () => {
    const file = tempFile(
      'mixed.csv',
      [
        '# vendor export',
        'Date;Ticker;Close',
        '2024-03-01;ES;5100.25',
        'not a line at all',
        '2024-03-02;ES;abc',
        '2024-13-01;ES;5101',
        '2024-03-04;ES',
        '',
        '2024-03-05;NQ;18000.5',
        '2024-03-06;ZZ;1',
        '2024-03-07;ES;5102.75',
      ].join('\n'),
    );
    // Looping keeps the source alive, so its /actors details can be read.
    const { sink, node } = replay({ instruments: ['ES', 'NQ'], file, speed: 'max', loop: true });
    await waitUntil(() => sink.ticks.length >= 3, 'one pass');
    expect(sink.ticks.slice(0, 3).map((t) => [t.symbol, t.last])).toEqual([
      ['ES', 5100.25],
      ['NQ', 18000.5],
      ['ES', 5102.75],
    ]);
    expect(node().details).toMatchObject({
      rows: 3,
      badLineCount: 4,
      badLines: [
        { line: 4, reason: 'expected 3 fields, got 1' },
        { line: 5, reason: 'last is not a number' },
        { line: 6, reason: "bad timestamp '2024-13-01'" },
        { line: 7, reason: 'expected 3 fields, got 2' },
      ],
      skippedSymbols: { ZZ: 1 },
    });
  });

  it('loops when asked, and says how often in /actors', async () => {
    const file = tempFile('tiny.csv', 'timestamp,symbol,last\n1700000000000,ES,5000\n1700000060000,ES,5001\n');
    const { sink, node } = replay({ instruments: ['ES'], file, speed: 'max', loop: true });
    await waitUntil(() => ((node().details?.notes as Record<string, number> | undefined)?.looped ?? 0) >= 3 || sink.ticks.length >= 8, 'three loops');
    expect(sink.ticks.slice(0, 4).map((t) => t.last)).toEqual([5000, 5001, 5000, 5001]);
  });

  it('a file without a usable header fails the start with the reason', async () => {
    const file = tempFile('headless.csv', '2024-03-01,ES,5100\n');
    const { h } = replay({ instruments: ['ES'], file });
    await waitUntil(() => (h.snapshot('marketData').context.children[1]?.lastError ?? null) !== null, 'failure');
    expect(h.snapshot('marketData').context.children[1].lastError).toMatch(/line 1: header has no timestamp column/);
  });
});
