import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_FRAME_LENGTH } from '../../src/ib/wire/frameScanner.ts';
import { frame, HostileGateway, SIX_BYTES, type HostileScript } from './hostileGateway.ts';

/**
 * @stoqey/ib on its own, without our socket guard: patches/@stoqey+ib+1.6.10.patch must make its
 * decoder refuse a bad length prefix (error 507, BAD_LENGTH) and disconnect. The client runs in
 * a worker thread because the unpatched decoder spins forever on a negative length: a test in
 * this thread could never notice, a watchdog here can (the worker stops ticking).
 */

const CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
const { IBApi, EventName } = require(workerData.ibPath);
const api = new IBApi({ host: '127.0.0.1', port: workerData.port });
api.on(EventName.error, (error, code) => parentPort.postMessage({ type: 'error', code, message: error.message }));
api.on(EventName.disconnected, () => parentPort.postMessage({ type: 'disconnected' }));
setInterval(() => parentPort.postMessage({ type: 'tick' }), 10);
api.connect(1);
`;

interface Outcome {
  errors: { code: number; message: string }[];
  disconnected: boolean;
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** Runs a bare IBApi against the script until it disconnects; rejects if its thread stops ticking. */
async function bareClientAgainst(script: HostileScript): Promise<Outcome> {
  const gateway = await HostileGateway.start(() => script);
  cleanups.push(() => gateway.close());
  const ibPath = createRequire(import.meta.url).resolve('@stoqey/ib');
  const worker = new Worker(CLIENT, { eval: true, workerData: { ibPath, port: gateway.port } });
  cleanups.push(() => worker.terminate());
  return new Promise<Outcome>((resolve, reject) => {
    const outcome: Outcome = { errors: [], disconnected: false };
    const startedAt = Date.now();
    // Judged from the first tick on: loading @stoqey/ib in a fresh thread takes a while on a busy box.
    let lastTick: number | null = null;
    const watchdog = setInterval(() => {
      const stalled = lastTick !== null && Date.now() - lastTick > 2_000;
      if (!stalled && Date.now() - startedAt < 10_000) return;
      clearInterval(watchdog);
      const seen = JSON.stringify(outcome.errors);
      reject(new Error(stalled ? `the client's event loop stopped answering (errors so far: ${seen})` : `the client did not disconnect within 10 s (errors so far: ${seen})`));
    }, 50);
    worker.on('error', (error) => {
      clearInterval(watchdog);
      reject(error);
    });
    worker.on('message', (message: { type: string; code?: number; message?: string }) => {
      if (message.type === 'tick') lastTick = Date.now();
      if (message.type === 'error') outcome.errors.push({ code: message.code!, message: message.message! });
      if (message.type === 'disconnected') {
        outcome.disconnected = true;
        clearInterval(watchdog);
        resolve(outcome);
      }
    });
  });
}

describe('@stoqey/ib decoder, patched', () => {
  it('refuses a negative length in the handshake reply with BAD_LENGTH and disconnects, without stalling', async () => {
    const outcome = await bareClientAgainst({ when: 'handshakeReply', bytes: SIX_BYTES });
    expect(outcome.errors).toEqual([{ code: 507, message: `Bad message length -4: must be 0..${MAX_FRAME_LENGTH}` }]);
    expect(outcome.disconnected).toBe(true);
  });

  it('refuses an over-cap length after the handshake at once', async () => {
    const outcome = await bareClientAgainst({ when: 'afterReady', bytes: frame(0x7fffffff) });
    expect(outcome.errors).toEqual([{ code: 507, message: `Bad message length ${0x7fffffff}: must be 0..${MAX_FRAME_LENGTH}` }]);
  });

  it('reads a length prefix as soon as its 4 bytes are in: a lone bad header is refused without waiting for more', async () => {
    const outcome = await bareClientAgainst({ when: 'handshakeReply', bytes: frame(-2_000_000_000) });
    expect(outcome.errors.map((error) => error.code)).toEqual([507]);
  });
});
