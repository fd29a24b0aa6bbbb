import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { isRedisUnavailable } from '../../src/admin/redisUnavailable.ts';
import type { RuntimeView } from '../../src/admin/runtimeView.ts';
import { freePort } from '../../src/runtime/freePort.ts';
import { authorized, makeAdminTestApp } from './adminTestApp.ts';

let current: ReturnType<typeof makeAdminTestApp>;
afterEach(() => current?.app.close());

const order = { clientOrderId: 'c1' };

/** The admin app over the fake runtime, whose order intake throws `error`. */
function failingWith(error: Error) {
  current = makeAdminTestApp();
  const view: RuntimeView = current.view;
  view.submitOrderJob = async () => {
    throw error;
  };
  return current;
}

describe('5xx errors in the log', () => {
  it('one line per failure, with the error as fields: name, message, code, stack frames and cause; the caller sees only the request id', async () => {
    const cause = Object.assign(new Error('disk full'), { code: 'ENOSPC' });
    const { app, logs } = failingWith(new TypeError('cannot read properties of undefined (reading "x")', { cause }));
    const response = await app.inject({ method: 'POST', url: '/orders', headers: authorized, payload: order });
    expect(response.statusCode).toBe(500);
    const requestId = response.headers['x-request-id'];
    expect(response.json()).toEqual({ error: { code: 'internal_error', message: `internal error (request id ${requestId}); see the server log` } });

    const failures = logs.entries.filter((entry) => entry.message === 'admin request failed');
    expect(failures).toHaveLength(1);
    const [failure] = failures;
    expect(failure).toMatchObject({ level: 'error', requestId, method: 'POST', path: '/orders', statusCode: 500 });
    const error = failure!.error as { name: string; message: string; stack: string[]; cause: { message: string; code: string; stack: string[] } };
    expect(error.name).toBe('TypeError');
    expect(error.message).toBe('cannot read properties of undefined (reading "x")');
    expect(error.stack.length).toBeGreaterThan(0);
    for (const frame of error.stack) expect(frame).toMatch(/^at /);
    expect(error.stack[0]).toContain('serverErrorLog.test.ts');
    expect(error.cause).toMatchObject({ message: 'disk full', code: 'ENOSPC' });
    expect(logs.rawLines.join('\n')).not.toContain('"err":{}');
    // Every line is one JSON object with no multi-line text in it.
    for (const line of logs.rawLines) expect(JSON.stringify(JSON.parse(line))).not.toMatch(/\\n/);
  });

  it('a handler that fails on Redis answers 503 redis_unavailable, logged once at error', async () => {
    const { app, logs } = failingWith(new Error('Connection is closed.'));
    const response = await app.inject({ method: 'POST', url: '/orders', headers: authorized, payload: order });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json().error).toMatchObject({ code: 'redis_unavailable', message: expect.stringMatching(/^Redis cannot be reached, so the request was not carried out/) });
    expect(logs.entries.filter((entry) => entry.level === 'error').map((entry) => [entry.message, (entry.error as { message: string }).message])).toEqual([
      ['admin request failed: Redis cannot be reached', 'Connection is closed.'],
    ]);
  });
});

describe('which errors mean Redis cannot be used', () => {
  it('the errors ioredis really raises with no server, with its offline queue off, and after quit', async () => {
    const port = await freePort();
    const errors: Error[] = [];
    const retrying = new Redis({ port, maxRetriesPerRequest: 1, retryStrategy: (times) => (times > 3 ? null : 10) });
    retrying.on('error', () => undefined);
    errors.push(await retrying.get('k').then(() => new Error('answered'), (error: Error) => error));
    retrying.disconnect();
    const offline = new Redis({ port, enableOfflineQueue: false, lazyConnect: true });
    offline.on('error', () => undefined);
    errors.push(await offline.get('k').then(() => new Error('answered'), (error: Error) => error));
    const quit = new Redis({ port, lazyConnect: true, retryStrategy: () => null });
    quit.on('error', () => undefined);
    await quit.connect().catch(() => undefined);
    errors.push(await quit.get('k').then(() => new Error('answered'), (error: Error) => error));
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/max retries per request/i),
      expect.stringMatching(/Stream isn't writeable/),
      'Connection is closed.',
    ]);
    for (const error of errors) expect(isRedisUnavailable(error)).toBe(true);
    expect(isRedisUnavailable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isRedisUnavailable(new Error('order store failed', { cause: errors[2] }))).toBe(true);
  });

  it('not an ordinary failure, nor a Redis command error while Redis is up', async () => {
    const redis = new Redis('redis://127.0.0.1:6379/6');
    const key = `test-admin-wrongtype-${process.pid}`;
    await redis.set(key, 'string');
    const wrongType = await redis.hget(key, 'f').then(() => new Error('answered'), (error: Error) => error);
    await redis.del(key);
    redis.disconnect();
    expect(wrongType.message).toMatch(/^WRONGTYPE/);
    expect(isRedisUnavailable(wrongType)).toBe(false);
    expect(isRedisUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isRedisUnavailable('Connection is closed.')).toBe(false);
  });
});
