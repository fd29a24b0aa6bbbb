import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PACKAGE_ROOT } from '../../src/packageRoot.ts';
import { luaScript } from '../../src/redis/luaScript.ts';
import { startPrivateRedis, type PrivateRedis } from '../support/privateRedis.ts';

const SCRIPTS = path.join(PACKAGE_ROOT, 'src/redis/scripts');
const scriptFiles = readdirSync(SCRIPTS).filter((file) => file.endsWith('.lua'));

/** Every .ts file under src, with its text. */
function sourceFiles(dir: string): { file: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [{ file: full, text: readFileSync(full, 'utf8') }] : [];
  });
}

describe('the scripts folder', () => {
  it('holds the scripts', () => {
    expect(scriptFiles.length).toBeGreaterThan(10);
  });

  it.each(scriptFiles)('%s is named <operation>-<keys>.lua and opens with a KEYS / ARGV / Returns header', (file) => {
    expect(file).toMatch(/^[a-z][A-Za-z]*(-[a-z][A-Za-z]*)+\.lua$/);
    const text = readFileSync(path.join(SCRIPTS, file), 'utf8');
    const header = text.split('\n').filter((line, index, lines) => lines.slice(0, index + 1).every((l) => l.startsWith('--')));
    expect(header.length).toBeGreaterThan(0);
    for (const part of ['KEYS', 'ARGV', 'Returns']) expect(header.some((line) => line.startsWith(`-- ${part}`)), `${file}: a "-- ${part}" line`).toBe(true);
  });

  it.each(scriptFiles)('%s is loaded by some caller in src', (file) => {
    const callers = sourceFiles(path.join(PACKAGE_ROOT, 'src')).filter(({ file: source, text }) => !source.endsWith('luaScript.ts') && text.includes(`'${file}'`));
    expect(callers.map(({ file: source }) => path.relative(PACKAGE_ROOT, source))).not.toEqual([]);
  });
});

describe('a script (real Redis)', () => {
  const releaseLock = luaScript('releaseLock-lock.lua');
  let server: PrivateRedis;
  let redis: Redis;

  // A server of the test's own: SCRIPT FLUSH and a restart must not touch the shared one.
  beforeAll(async () => {
    server = await startPrivateRedis();
    redis = new Redis(server.url, { maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    redis.disconnect();
    await server.stop();
    server.remove();
  });

  it('is read and hashed once: the same file gives the same script', () => {
    expect(luaScript('releaseLock-lock.lua')).toBe(releaseLock);
    expect(releaseLock.sha1).toMatch(/^[0-9a-f]{40}$/);
  });

  it('runs after SCRIPT FLUSH (NOSCRIPT: sent once with EVAL), then by EVALSHA again', async () => {
    await redis.set('lock', 'mine');
    await redis.script('FLUSH');
    const evals = vi.spyOn(redis, 'eval');
    expect(await releaseLock.run(redis, ['lock'], ['theirs'])).toBe(0);
    expect(evals).toHaveBeenCalledTimes(1);
    expect(await releaseLock.run(redis, ['lock'], ['mine'])).toBe(1);
    expect(evals).toHaveBeenCalledTimes(1);
    expect(await redis.exists('lock')).toBe(0);
    evals.mockRestore();
  });

  it('runs on a Redis restarted empty', async () => {
    await releaseLock.run(redis, ['lock'], ['x']);
    await server.stop();
    await server.start();
    await redis.set('lock', 'mine');
    expect(await releaseLock.run(redis, ['lock'], ['mine'])).toBe(1);
  });

  it('passes other errors on', async () => {
    await redis.set('lock', 'mine');
    await expect(luaScript('raiseMark-mark.lua').run(redis, ['lock'], ['not a number'])).rejects.toThrow(/ERR|number/);
  });

  it('puts a prelude in front: an order script refuses a superseded lease token', async () => {
    const create = luaScript('createOrder-order-open-all-fence.lua', { prelude: 'refuseIfFenced-fence.lua' });
    expect(create.source.startsWith(readFileSync(path.join(SCRIPTS, 'refuseIfFenced-fence.lua'), 'utf8'))).toBe(true);
    await redis.set('fence', '5');
    await expect(create.run(redis, ['order', 'open', 'all', 'fence'], ['{}', '1', 'c1', '4'])).rejects.toThrow(/^FENCED token 4 superseded by 5/);
    expect(await create.run(redis, ['order', 'open', 'all', 'fence'], ['{}', '1', 'c1', '5'])).toBe(1);
  });
});
