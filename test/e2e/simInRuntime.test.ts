import { EventName, IBApi } from '@stoqey/ib';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { createSilentLogger } from '../../src/log/logger';
import { startMainProcess, type MainProcess } from '../../src/runtime/mainProcess';
import { brokerSubtree } from '../../src/runtime/brokerSubtree';

const TOKEN = 'sim-runtime-token';
let main: MainProcess | undefined;
afterEach(async () => {
  await main?.stop();
  main = undefined;
});

function nextEvent(ib: IBApi, event: EventName, timeoutMs = 5_000): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${event}`)), timeoutMs);
    ib.once(event, (...args: unknown[]) => {
      clearTimeout(timer);
      resolve(args);
    });
  });
}

async function waitForSim(m: MainProcess): Promise<number> {
  for (let i = 0; i < 200; i += 1) {
    const snapshot = m.runtime.tree.get('sim')?.getSnapshot() as { value: string; context: { port: number } } | undefined;
    if (snapshot?.value === 'listening') return snapshot.context.port;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('simulator never listened');
}

describe('embedded simulator as the supervised child `sim`', () => {
  it('serves the real @stoqey/ib client, and takes faults injected through the admin API', async () => {
    const config = loadConfig({ env: {}, overrides: { admin: { port: 0, token: TOKEN } } });
    main = await startMainProcess(config, createSilentLogger(), [brokerSubtree]);
    const port = await waitForSim(main);
    const tree = main.runtime.actorTree();
    expect(tree.children.map((c) => c.systemId)).toEqual(['infra', 'broker']);
    expect(tree.children[1]!.children[0]).toMatchObject({ systemId: 'sim', kind: 'tws-simulator', state: 'listening' });

    const ib = new IBApi({ host: '127.0.0.1', port });
    const errors: unknown[] = [];
    ib.on(EventName.error, (...args: unknown[]) => errors.push(args));
    const connected = nextEvent(ib, EventName.nextValidId);
    ib.connect(11);
    await connected;
    const time = nextEvent(ib, EventName.currentTime);
    ib.reqCurrentTime();
    const [seconds] = (await time) as [number];
    expect(Math.abs(seconds - Date.now() / 1_000)).toBeLessThan(5);

    const post = (body: unknown) =>
      fetch(`${main!.admin.url}/actors/sim/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const refused = await post({ type: 'FAULT', fault: { kind: 'meteorStrike' } });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/refused the event: fault\.kind/);

    const dropped = nextEvent(ib, EventName.disconnected);
    expect((await post({ type: 'FAULT', fault: { kind: 'dropAll' } })).status).toBe(202);
    await dropped;
    expect(errors).toEqual([]);
    expect((main.runtime.tree.get('sim')!.getSnapshot() as { context: { faultsInjected: number } }).context.faultsInjected).toBe(1);
  });
});
