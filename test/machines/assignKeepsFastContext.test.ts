import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/packageRoot.ts';

/**
 * XState's assign built each new context with Object.assign({}, context, update). V8 turns an
 * object filled that way into a hash table once it has 20 or more keys (the order context has 22),
 * and every later copy and read of it is then several times slower: it was the largest single
 * cost of an order's lifecycle. patches/xstate+*.patch makes assign spread instead. This checks,
 * in a process that may ask V8, that the installed XState keeps a large context in fast mode and
 * that assign still means what it meant.
 */
const PROBE = `
const { createActor, createMachine, assign } = require('xstate');
// A literal, as machine contexts are written: V8 gives it fast properties from the start.
const context = { k0: 0, k1: 1, k2: 2, k3: 3, k4: 4, k5: 5, k6: 6, k7: 7, k8: 8, k9: 9, k10: 10, k11: 11, k12: 12, k13: 13, k14: 14, k15: 15, k16: 16, k17: 17, k18: 18, k19: 19, k20: 20, k21: 21, k22: 22, k23: 23 };
const machine = createMachine({
  context,
  on: { bump: { actions: assign(({ context }) => ({ k0: context.k0 + 1, extra: 'x' })) } },
});
const actor = createActor(machine).start();
actor.send({ type: 'bump' });
actor.send({ type: 'bump' });
const after = actor.getSnapshot().context;
console.log(JSON.stringify({ fast: %HasFastProperties(after), k0: after.k0, k23: after.k23, extra: after.extra, keys: Object.keys(after).length }));
`;

describe('XState assign (patched)', () => {
  it('keeps a 24-key context in V8 fast mode and updates it as before', () => {
    const output = execFileSync(process.execPath, ['--allow-natives-syntax', '-e', PROBE], { cwd: PACKAGE_ROOT, encoding: 'utf8' });
    expect(JSON.parse(output.trim())).toEqual({ fast: true, k0: 2, k23: 23, extra: 'x', keys: 25 });
  });
});
