import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createActor } from 'xstate';
import { createSilentLogger } from '../src/log/logger.ts';
import { createSupervisionServices } from '../src/supervision/services.ts';
import { SupervisionTree } from '../src/supervision/supervisionTree.ts';
import { counterMachine } from './_counterMachine.ts';
import { median, percentile, progress, round } from './_stats.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

function bareEventsPerSecond(events: number): number {
  const actor = createActor(counterMachine).start();
  const started = performance.now();
  for (let i = 0; i < events; i += 1) actor.send({ type: 'inc' });
  const elapsed = performance.now() - started;
  if (actor.getSnapshot().context.count !== events) throw new Error('bare actor lost events');
  actor.stop();
  return (events / elapsed) * 1_000;
}

function newTree(intensity: number, periodMs: number) {
  const services = createSupervisionServices({ logger: createSilentLogger() });
  return new SupervisionTree({ root: { intensity, periodMs, children: [{ id: 'counter', logic: counterMachine }] }, services }).start();
}

function supervisedEventsPerSecond(events: number): number {
  const tree = newTree(1, 5_000);
  const started = performance.now();
  for (let i = 0; i < events; i += 1) tree.send('counter', { type: 'inc' });
  const elapsed = performance.now() - started;
  if ((tree.get('counter')!.getSnapshot() as { context: { count: number } }).context.count !== events) {
    throw new Error('supervised actor lost events');
  }
  tree.forceStop();
  return (events / elapsed) * 1_000;
}

/** Crash to new incarnation running: the restart is synchronous, so it completes inside send(). */
function restartLatencies(restarts: number): number[] {
  const tree = newTree(Number.MAX_SAFE_INTEGER, 1);
  const samples: number[] = [];
  for (let i = 0; i < restarts; i += 1) {
    const before = tree.get('counter');
    const started = performance.now();
    tree.send('counter', { type: 'crash' });
    const after = tree.get('counter');
    samples.push(performance.now() - started);
    if (!after || after === before || after.getSnapshot().status !== 'active') throw new Error('child was not restarted');
  }
  tree.forceStop();
  return samples.sort((a, b) => a - b);
}

function memoryWith(actors: number): { rss_mb: number; running: number } {
  const output = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(here, '_supervisionMemory.ts'), String(actors)], {
    encoding: 'utf8',
  });
  return JSON.parse(output.trim().split('\n').pop()!) as { rss_mb: number; running: number };
}

export async function run({ quick }: { quick: boolean }) {
  const events = quick ? 200_000 : 1_000_000;
  const rounds = quick ? 5 : 9;
  const restarts = quick ? 5_000 : 20_000;

  progress(`warming up`);
  bareEventsPerSecond(events / 4);
  supervisedEventsPerSecond(events / 4);

  const bare: number[] = [];
  const supervised: number[] = [];
  for (let round_ = 0; round_ < rounds; round_ += 1) {
    // Interleaved so both see the same machine noise.
    bare.push(bareEventsPerSecond(events));
    supervised.push(supervisedEventsPerSecond(events));
    progress(`round ${round_ + 1}/${rounds}: bare ${Math.round(bare.at(-1)!)} ev/s, supervised ${Math.round(supervised.at(-1)!)} ev/s`);
  }
  const bareRate = median(bare);
  const supervisedRate = median(supervised);

  progress(`measuring ${restarts} restarts`);
  restartLatencies(1_000);
  const latencies = restartLatencies(restarts);

  progress('measuring resident memory with 10,000 supervised actors (fresh process)');
  const memory = memoryWith(10_000);
  if (memory.running !== 10_000) throw new Error(`expected 10000 running actors, saw ${memory.running}`);

  return {
    bare_events_per_s: Math.round(bareRate),
    supervised_events_per_s: Math.round(supervisedRate),
    overhead_ratio: round(bareRate / supervisedRate),
    restart_p50_ms: round(percentile(latencies, 50), 4),
    restart_p99_ms: round(percentile(latencies, 99), 4),
    rss_mb_10k: round(memory.rss_mb, 1),
  };
}
