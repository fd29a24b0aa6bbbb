/**
 * Simulator benchmark: order throughput and latency through the real @stoqey/ib client, and raw
 * tick streaming throughput. Run directly (`npx tsx bench/sim.ts [--quick]`) or via bench/run.ts.
 * The last stdout line of a direct run is one JSON object with the figures.
 */
import net from 'node:net';
import { pathToFileURL } from 'node:url';
import { EventName, IBApi, OrderAction, OrderType, SecType, type Contract } from '@stoqey/ib';
import { createSilentLogger } from '../src/log/logger.ts';
import { TwsSimulator } from '../src/sim/index.ts';

const ES: Contract = { symbol: 'ES', secType: SecType.FUT, exchange: 'CME', currency: 'USD', lastTradeDateOrContractMonth: '202703' }; // ESH7: a future without a month is ambiguous

export interface BenchOptions {
  quick: boolean;
  /** Progress output; defaults to stderr so an importing runner owns stdout. */
  log?: (line: string) => void;
}

export async function run(opts: BenchOptions): Promise<Record<string, number>> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const sim = new TwsSimulator({ clock: process.env.TRADEWIRE_SIM_CLOCK, tickIntervalMs: 0, pacing: { enabled: false }, logger: createSilentLogger(), seed: 7 });
  const { port } = await sim.listen(0);
  try {
    const rtt = await measureOrderRtt(port, opts.quick ? 2_000 : 5_000, log);
    const throughput = await measureOrderThroughput(port, opts.quick ? 5_000 : 20_000, log);
    const ticks = await measureTicks(sim, port, opts.quick ? 50_000 : 250_000, log);
    return {
      orders_per_s: round(throughput),
      order_rtt_p50_ms: round(rtt.p50, 3),
      order_rtt_p99_ms: round(rtt.p99, 3),
      ticks_per_s: round(ticks),
    };
  } finally {
    await sim.close();
  }
}

interface BenchClient {
  ib: IBApi;
  nextId: number;
  /** Rejects as soon as the client reports any error: a benchmark of a broken exchange is worthless. */
  failed: Promise<never>;
}

async function connectClient(port: number, clientId: number): Promise<BenchClient> {
  // The client's own rate limiter would otherwise cap us at 40 requests/s.
  const ib = new IBApi({ host: '127.0.0.1', port, maxReqPerSec: 1_000_000_000 });
  const failed = new Promise<never>((_, reject) => {
    ib.on(EventName.error, (error: Error, code: number) => reject(new Error(`client error ${code}: ${error.message}`)));
  });
  failed.catch(() => undefined);
  const nextId = await Promise.race([
    new Promise<number>((resolve) => {
      ib.once(EventName.nextValidId, (id: number) => resolve(id));
      ib.connect(clientId);
    }),
    failed,
  ]);
  return { ib, nextId, failed };
}

/** Alternating sides keep the position (and so the margin requirement) flat however many orders run. */
const marketOrder = (n: number) => ({ action: n % 2 === 0 ? OrderAction.BUY : OrderAction.SELL, orderType: OrderType.MKT, totalQuantity: 1, transmit: true });

/**
 * Sequential placeOrder -> Filled orderStatus round trips, one order in flight at a time with a
 * 1 ms pause between orders (as a strategy would place them) so that timers and GC work queued by
 * one order run between samples rather than inside the next one. Client and simulator share this
 * process, so the figure includes the @stoqey/ib client's own encode/decode cost.
 */
async function measureOrderRtt(port: number, count: number, log: (line: string) => void): Promise<{ p50: number; p99: number }> {
  const { ib, nextId, failed } = await connectClient(port, 1);
  const samples = new Float64Array(count);
  const warmup = Math.min(300, Math.floor(count / 5));
  let id = nextId;
  for (let i = -warmup; i < count; i++) {
    const orderId = id++;
    const started = performance.now();
    const filled = new Promise<void>((resolve) => {
      const onStatus = (oid: number, status: string) => {
        if (oid !== orderId || status !== 'Filled') return;
        ib.off(EventName.orderStatus, onStatus);
        resolve();
      };
      ib.on(EventName.orderStatus, onStatus);
      ib.placeOrder(orderId, ES, marketOrder(orderId));
    });
    await Promise.race([filled, failed]);
    if (i >= 0) samples[i] = performance.now() - started;
    await new Promise<void>((resolve) => setTimeout(resolve, 1));
  }
  ib.disconnect();
  samples.sort();
  const p50 = samples[Math.floor(count * 0.5)] as number;
  const p99 = samples[Math.min(count - 1, Math.floor(count * 0.99))] as number;
  log(`order rtt: ${count} sequential MKT orders, p50 ${p50.toFixed(3)} ms, p99 ${p99.toFixed(3)} ms`);
  return { p50, p99 };
}

/** Pipelined MKT orders in windows, counted when their Filled status arrives. */
async function measureOrderThroughput(port: number, count: number, log: (line: string) => void): Promise<number> {
  const { ib, nextId, failed } = await connectClient(port, 2);
  const window = 200;
  let filled = 0;
  let placed = 0;
  let id = nextId;
  const started = performance.now();
  const allFilled = new Promise<void>((resolve) => {
    const placeMore = () => {
      while (placed < count && placed - filled < window) {
        ib.placeOrder(id, ES, marketOrder(id));
        id++;
        placed++;
      }
    };
    ib.on(EventName.orderStatus, (_oid: number, status: string) => {
      if (status !== 'Filled') return;
      filled++;
      if (filled === count) resolve();
      else if (placed - filled < window / 2) placeMore();
    });
    placeMore();
  });
  await Promise.race([allFilled, failed]);
  const seconds = (performance.now() - started) / 1000;
  ib.disconnect();
  const rate = count / seconds;
  log(`order throughput: ${count} MKT orders filled in ${seconds.toFixed(2)} s = ${rate.toFixed(0)} orders/s`);
  return rate;
}

/** Price steps streamed to one raw-socket subscriber that only counts frames (so the client is not the bottleneck). */
async function measureTicks(sim: TwsSimulator, port: number, steps: number, log: (line: string) => void): Promise<number> {
  const socket = await new Promise<net.Socket>((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => resolve(s));
  });
  let pending: Buffer = Buffer.alloc(0);
  let frames = 0;
  let tickFrames = 0;
  let wake: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    let buf: Buffer = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
    let offset = 0;
    while (offset + 4 <= buf.length) {
      const length = buf.readUInt32BE(offset);
      if (offset + 4 + length > buf.length) break;
      frames++;
      // Message id 1 (tick price) or 2 (tick size): first byte of the payload, then a NUL.
      const id = buf[offset + 4];
      if ((id === 0x31 || id === 0x32) && buf[offset + 5] === 0) tickFrames++;
      offset += 4 + length;
    }
    pending = offset < buf.length ? buf.subarray(offset) : Buffer.alloc(0);
    buf = pending;
    wake?.();
  });
  const until = (done: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => (done() ? resolve() : (wake = check));
      check();
    });

  const header = Buffer.alloc(4);
  const versions = 'v100..193';
  header.writeUInt32BE(versions.length);
  socket.write(Buffer.concat([Buffer.from('API\0', 'latin1'), header, Buffer.from(versions)]));
  await until(() => frames >= 1);
  socket.write(encodeFrame(['71', '2', '3', '']));
  await until(() => frames >= 6);
  socket.write(encodeFrame(['1', '11', '1', '', 'ES', 'FUT', '202703', '', '', '', 'CME', '', 'USD', '', '', '0', '', '0', '0', '']));
  await until(() => tickFrames >= 5);

  const ticksPerStep = 4;
  const initial = tickFrames;
  const target = initial + steps * ticksPerStep;
  const batch = 1_000;
  const inFlightBatches = 4;
  const started = performance.now();
  for (let done = 0; done < steps; ) {
    const n = Math.min(batch, steps - done);
    sim.stepPrices(n);
    done += n;
    // Keep a bounded number of batches in flight so the simulator never sheds ticks for backlog.
    const mustHave = initial + (done - inFlightBatches * batch) * ticksPerStep;
    if (tickFrames < mustHave) await until(() => tickFrames >= mustHave);
    else await new Promise<void>((resolve) => setImmediate(resolve));
  }
  await until(() => tickFrames >= target);
  const seconds = (performance.now() - started) / 1000;
  socket.destroy();
  const rate = (steps * ticksPerStep) / seconds;
  log(`ticks: ${steps * ticksPerStep} tick messages streamed in ${seconds.toFixed(2)} s = ${rate.toFixed(0)} ticks/s`);
  return rate;
}

function encodeFrame(fields: string[]): Buffer {
  const body = Buffer.from(fields.map((f) => `${f}\0`).join(''), 'utf8');
  const header = Buffer.alloc(4);
  header.writeUInt32BE(body.length);
  return Buffer.concat([header, body]);
}

function round(value: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  const quick = process.argv.includes('--quick');
  const log = (line: string) => console.log(line);
  log(`sim benchmark (${quick ? 'quick' : 'full'})`);
  run({ quick, log }).then(
    (result) => {
      console.log(JSON.stringify(result));
      process.exit(0);
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
