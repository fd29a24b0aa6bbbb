import { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { createSilentLogger } from '../../src/log/logger.ts';
import { Runtime } from '../../src/runtime/runtime.ts';
import { supervisor } from '../../src/supervision/supervisorLogic.ts';
import { workerMachine } from '../supervision/helpers.ts';
import { SIM_CLOCK_ENV } from '../support/simClock.ts';

interface Streamed {
  type: string;
  sessionId: string;
  parentId?: string;
  event?: { type: string };
  snapshot?: { context?: Record<string, unknown> };
}

describe('Stately inspector stream', () => {
  it('streams actor, event and snapshot inspection events for the root and a nested child to a WebSocket client', async () => {
    const config = loadConfig({ env: SIM_CLOCK_ENV, overrides: { inspect: { enabled: true, port: 0 } } });
    const runtime = await Runtime.start({
      config,
      logger: createSilentLogger(),
      root: { children: [supervisor('inner', { children: [{ id: 'worker', logic: workerMachine }] })] },
    });
    const received: Streamed[] = [];
    const client = new WebSocket(runtime.inspector!.wsUrl);
    client.on('message', (data) => received.push(JSON.parse(data.toString()) as Streamed));
    await new Promise((resolve) => client.once('open', resolve));
    runtime.tree.send('worker', { type: 'ping' });

    const rootSession = runtime.tree.root.sessionId;
    const workerSession = runtime.tree.get('worker')!.sessionId;
    const innerSession = runtime.tree.get('inner')!.sessionId;
    const has = (type: string, sessionId: string) => received.some((e) => e.type === type && e.sessionId === sessionId);
    const sawPing = () => received.some((e) => e.type === '@xstate.event' && e.sessionId === workerSession && e.event?.type === 'ping');
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !sawPing()) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    for (const type of ['@xstate.actor', '@xstate.event', '@xstate.snapshot']) {
      expect(has(type, rootSession), `${type} for root`).toBe(true);
      expect(has(type, workerSession), `${type} for nested worker`).toBe(true);
    }
    const workerActor = received.find((e) => e.type === '@xstate.actor' && e.sessionId === workerSession)!;
    expect(workerActor.parentId).toBe(innerSession);
    expect(sawPing()).toBe(true);

    const page = await fetch(runtime.inspector!.pageUrl);
    expect(await page.text()).toContain(runtime.inspector!.wsUrl);
    client.close();
    await runtime.stop();
  });

  it('redacts secret-looking fields before they leave the process', async () => {
    const { redactSecrets } = await import('../../src/log/redact.ts');
    expect(redactSecrets({ type: 'LOGIN', password: 'hunter2', nested: { apiKey: 'k', ok: 1 } })).toEqual({
      type: 'LOGIN',
      password: '[redacted]',
      nested: { apiKey: '[redacted]', ok: 1 },
    });
  });
});
