import { describe, expect, it } from 'vitest';
import type { CliDeps } from '../../src/cli/cliDeps.ts';
import { parseEventArgument } from '../../src/cli/actions/inject.ts';
import { runOrderModify, runOrderSubmit } from '../../src/cli/actions/order.ts';
import { unusedPort } from './liveServer.ts';

/** Deps whose admin API has nothing listening: a command that got as far as sending would fail with 1, not 2. */
async function deps() {
  const out: string[] = [];
  const err: string[] = [];
  const env = { TRADEWIRE_ADMIN_URL: `http://127.0.0.1:${await unusedPort()}`, TRADEWIRE_ADMIN_TOKEN: 'numbers-token' };
  const d: CliDeps = { out: (l) => out.push(l), err: (l) => err.push(l), env, setExitCode: () => undefined };
  return { d, out, err };
}

describe('tradewire order: number flags are read strictly, and a bad one names its field', () => {
  it.each([
    [{ limit: 'abc' }, 'limitPrice: expected number, got "abc"'],
    [{ limit: '0x10' }, 'limitPrice: expected number, got "0x10"'],
    [{ limit: '' }, 'limitPrice: expected number, got ""'],
    [{ limit: 'Infinity' }, 'limitPrice: expected number, got "Infinity"'],
    [{ limit: '1e999' }, 'limitPrice: expected number, got Infinity'],
    [{ stop: 'NaN' }, 'stopPrice: expected number, got "NaN"'],
    [{ qty: '-2' }, 'quantity: must be positive'],
    [{ qty: '1.5' }, 'quantity: must be a whole number of contracts'],
  ])('modify %j is refused with exit code 2, nothing sent', async (flags, line) => {
    const { d, out, err } = await deps();
    expect(await runOrderModify('o-1', flags, d)).toBe(2);
    expect(err.join('\n')).toContain(line);
    expect(out).toEqual([]);
  });

  it('refuses a clientOrderId shaped like a TWAP slice id', async () => {
    const { d, err } = await deps();
    expect(await runOrderModify('o-1:t1', { limit: '5000' }, d)).toBe(2);
    expect(err.join('\n')).toMatch(/clientOrderId: may only contain letters, digits and \. _ -/);
  });

  it('submit reads --qty and --limit the same way', async () => {
    const { d, err } = await deps();
    const flags = { symbol: 'ES', expiry: '202703', side: 'BUY', qty: '2', type: 'LMT', limit: '50O0', account: 'DU1234567', strategy: 'manual', id: 'cli-1' };
    expect(await runOrderSubmit(flags, d)).toBe(2);
    expect(err.join('\n')).toContain('limitPrice: expected number, got "50O0"');
  });

  it('still takes plain decimals, signs and exponents', async () => {
    const { d, err } = await deps();
    // Valid terms get as far as the admin API (nothing listens there): exit 1, not a usage error.
    expect(await runOrderModify('o-1', { limit: ' -1.25 ', qty: '3', stop: '4.5e3' }, d)).toBe(1);
    expect(err.join('\n')).not.toMatch(/invalid request/);
    expect(err.join('\n')).toMatch(/cannot reach the tradewire admin API/);
  });
});

describe('tradewire inject: reserved event types are refused before anything is sent', () => {
  it.each([['tradewire.shutdown'], ['xstate.stop'], ['reconcile.found'], ['DEADLINE']])('%s', (type) => {
    const parsed = parseEventArgument(JSON.stringify({ type }));
    expect(parsed).toEqual({ problem: expect.stringContaining(`event type "${type}" is internal`) });
  });

  it('leaves broker-origin events to the server (they may be allowed in testing)', () => {
    expect(parseEventArgument('{"type":"broker.fill"}')).toEqual({ event: { type: 'broker.fill' } });
  });
});
