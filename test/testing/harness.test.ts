import { setup } from 'xstate';
import { describe, expect, it } from 'vitest';
import { createTestHarness } from '../../src/testing/harness.ts';

const door = setup({ types: { events: {} as { type: 'open' } | { type: 'jam' } } }).createMachine({
  id: 'door',
  initial: 'closed',
  states: {
    closed: { on: { open: 'opening' } },
    opening: { after: { 2_000: 'open' }, on: { jam: { actions: () => { throw new Error('jammed'); } } } },
    open: {},
  },
});

describe('test harness', () => {
  it('injects events, advances simulated time and awaits a state', async () => {
    const harness = createTestHarness({ children: [{ id: 'door', logic: door }] });
    harness.send('door', { type: 'open' });
    const opened = harness.waitForState('door', 'open');
    harness.advance(1_999);
    expect(harness.snapshot('door').value).toBe('opening');
    harness.advance(1);
    await expect(opened).resolves.toMatchObject({ value: 'open' });
    await harness.stop();
  });

  it('follows an actor across a restart', async () => {
    const harness = createTestHarness({ intensity: 3, children: [{ id: 'door', logic: door }] });
    harness.send('door', { type: 'open' });
    harness.send('door', { type: 'jam' });
    expect(harness.snapshot('door').value).toBe('closed');
    expect(harness.tree.describe().children[0]!.restarts).toBe(1);
    const opening = harness.waitForState('door', 'opening');
    harness.send('door', { type: 'open' });
    await expect(opening).resolves.toMatchObject({ value: 'opening' });
  });
});
