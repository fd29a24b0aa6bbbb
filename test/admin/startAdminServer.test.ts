import { connect } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startAdminServer, type AdminServer } from '../../src/admin/index.ts';
import { createMemoryLogger } from './memoryLogger.ts';
import { TEST_TOKEN } from './adminTestApp.ts';
import { FakeRuntimeView } from './fakeRuntimeView.ts';

let server: AdminServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('startAdminServer over a real socket', () => {
  it('binds loopback on a free port and logs where it listens', async () => {
    const { logger, entries } = createMemoryLogger();
    server = await startAdminServer({ view: new FakeRuntimeView(), host: '127.0.0.1', port: 0, logger });
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    await vi.waitFor(() =>
      expect(entries).toContainEqual(
        expect.objectContaining({ message: `admin listening on http://127.0.0.1:${server?.port}`, port: server?.port, host: '127.0.0.1' }),
      ),
    );
  });

  it('defaults to 127.0.0.1 when no host is given', async () => {
    server = await startAdminServer({ view: new FakeRuntimeView(), port: 0, logger: createMemoryLogger().logger });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('serves reads and an authorised event injection over HTTP', async () => {
    const view = new FakeRuntimeView();
    server = await startAdminServer({ view, port: 0, token: TEST_TOKEN, logger: createMemoryLogger().logger });

    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    const injected = await fetch(`${server.url}/actors/ib-connection/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json', 'x-request-id': 'sock-1' },
      body: JSON.stringify({ type: 'RECONNECT' }),
    });
    expect(injected.status).toBe(202);
    expect(injected.headers.get('x-request-id')).toBe('sock-1');
    expect(await injected.json()).toEqual({ accepted: true, systemId: 'ib-connection', delivery: 'delivered', requestId: 'sock-1' });
    expect(view.delivered).toHaveLength(1);
  });

  it('rejects an oversized body over the wire with 413', async () => {
    server = await startAdminServer({ view: new FakeRuntimeView(), port: 0, token: TEST_TOKEN, logger: createMemoryLogger().logger });
    const response = await fetch(`${server.url}/actors/root/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'X', pad: 'a'.repeat(100 * 1024) }),
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('stops accepting connections once closed, and close is idempotent', async () => {
    const started = await startAdminServer({ view: new FakeRuntimeView(), port: 0, logger: createMemoryLogger().logger });
    await started.close();
    await started.close();
    await expect(fetch(`${started.url}/health`)).rejects.toThrow();
  });

  it('rejects when the port is already taken', async () => {
    server = await startAdminServer({ view: new FakeRuntimeView(), port: 0, logger: createMemoryLogger().logger });
    await expect(startAdminServer({ view: new FakeRuntimeView(), port: server.port, logger: createMemoryLogger().logger })).rejects.toThrow(
      /EADDRINUSE/,
    );
  });

  it('answers unparseable HTTP with a JSON 400 carrying a request id', async () => {
    server = await startAdminServer({ view: new FakeRuntimeView(), port: 0, logger: createMemoryLogger().logger });
    const raw = await sendRaw(server.port, 'THIS IS NOT HTTP\r\n\r\n');
    expect(raw).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(raw).toMatch(/\r\nx-request-id: [0-9a-f-]{36}\r\n/);
    expect(JSON.parse(raw.split('\r\n\r\n')[1] ?? '')).toEqual({ error: { code: 'bad_request', message: expect.any(String) } });
  });
});

function sendRaw(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString()));
    socket.on('end', () => resolve(received));
    socket.on('error', reject);
  });
}
