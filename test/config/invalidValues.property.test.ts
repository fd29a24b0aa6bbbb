import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.ts';
import { makeConfigDir } from './configFixture.ts';

const fixture = makeConfigDir();
afterAll(() => fixture.cleanup());
const cwd = fixture.dir;

function issuePathsFor(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((issue) => issue.path);
    throw error;
  }
  return [];
}

const notAPortInteger = fc.oneof(fc.integer({ max: -1 }), fc.integer({ min: 65536 }));
// Strings that are not a plain base-10 integer in range.
const notAPortString = fc.oneof(
  notAPortInteger.map(String),
  fc.string().filter((s) => !/^\s*\d+\s*$/.test(s) && s !== ''),
  fc.double({ noInteger: true, noNaN: true }).map(String),
);

describe('invalid values always name their key', () => {
  it('TRADEWIRE_ADMIN_PORT', () => {
    fc.assert(
      fc.property(notAPortString, (value) => {
        expect(issuePathsFor(() => loadConfig({ env: { TRADEWIRE_ADMIN_PORT: value }, cwd }))).toContain('admin.port');
      }),
    );
  });

  it('TRADEWIRE_INSPECT_PORT and TRADEWIRE_IB_PORT', () => {
    fc.assert(
      fc.property(notAPortString, (value) => {
        const paths = issuePathsFor(() => loadConfig({ env: { TRADEWIRE_INSPECT_PORT: value, TRADEWIRE_IB_PORT: value }, cwd }));
        expect(paths).toEqual(expect.arrayContaining(['inspect.port', 'broker.ib.port']));
      }),
    );
  });

  it('ports given as overrides of any non-port value', () => {
    const nonPort = fc.oneof(notAPortInteger, fc.string(), fc.boolean(), fc.constant(null), fc.double({ noInteger: true }));
    fc.assert(
      fc.property(nonPort, (value) => {
        const overrides = { broker: { sim: { port: value } } } as never;
        expect(issuePathsFor(() => loadConfig({ env: {}, cwd, overrides }))).toContain('broker.sim.port');
      }),
    );
  });

  it('TRADEWIRE_BROKER outside sim|ib', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }).filter((s) => s !== 'sim' && s !== 'ib'), (value) => {
        expect(issuePathsFor(() => loadConfig({ env: { TRADEWIRE_BROKER: value }, cwd }))).toContain('broker.mode');
      }),
    );
  });

  it('backoff jitter outside 0..1', () => {
    const outside = fc.oneof(fc.double({ max: -Number.MIN_VALUE, noNaN: true }), fc.double({ min: 1.0000001, noNaN: true }));
    fc.assert(
      fc.property(outside, (jitter) => {
        const overrides = { supervision: { backoff: { jitter } } };
        expect(issuePathsFor(() => loadConfig({ env: {}, cwd, overrides }))).toContain('supervision.backoff.jitter');
      }),
    );
  });

  it('unknown keys anywhere are named', () => {
    const known = new Set(['admin', 'redis', 'shutdownTimeoutMs', 'log', 'inspect', 'broker', 'supervision']);
    const unknownKey = fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !known.has(k) && k !== '__proto__');
    fc.assert(
      fc.property(unknownKey, (key) => {
        expect(issuePathsFor(() => loadConfig({ env: {}, cwd, overrides: { [key]: 1 } as never }))).toContain(key);
      }),
    );
  });
});
