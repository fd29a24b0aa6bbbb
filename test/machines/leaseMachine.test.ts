import { createActor, fromCallback, fromPromise, type AnyEventObject } from 'xstate';
import { describe, expect, it } from 'vitest';
import { createLeaseMachine } from '../../src/machines/lease/leaseMachine.ts';

/** The lease machine with actors the test drives: it decides when starts and stops finish. */
function world() {
  const calls: string[] = [];
  let finishStart: () => void = () => undefined;
  let failStart: (error: Error) => void = () => undefined;
  let finishStop: () => void = () => undefined;
  const machine = createLeaseMachine({
    awaitLease: fromCallback<AnyEventObject, unknown>(() => {
      calls.push('await');
      return () => calls.push('await stopped');
    }),
    holdLease: fromCallback<AnyEventObject, unknown>(() => {
      calls.push('hold');
      return () => calls.push('hold stopped');
    }),
    startCapabilities: fromPromise<void, unknown>(
      () =>
        new Promise<void>((resolve, reject) => {
          calls.push('start');
          finishStart = resolve;
          failStart = reject;
        }),
    ),
    stopCapabilities: fromPromise<void, { reason: string; value: string | null }>(
      ({ input }) =>
        new Promise<void>((resolve) => {
          calls.push(`stop:${input.reason}:${input.value}`);
          finishStop = resolve;
        }),
    ),
  });
  const actor = createActor(machine, { input: { namespace: 'ns', nodeId: 'n1' } }).start();
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  return { actor, calls, settle, finishStart: () => finishStart(), failStart: (e: Error) => failStart(e), finishStop: () => finishStop() };
}

const state = (actor: { getSnapshot(): { value: unknown } }) => JSON.stringify(actor.getSnapshot().value);

describe('the lease machine', () => {
  it('standby → holding.starting → holding.active, renewing from the moment it holds the lease', async () => {
    const w = world();
    expect(state(w.actor)).toBe('"standby"');
    w.actor.send({ type: 'lease.acquired', token: 7, value: 'n1|7' });
    expect(state(w.actor)).toBe('{"holding":"starting"}');
    expect(w.calls).toEqual(['await', 'await stopped', 'hold', 'start']);
    w.finishStart();
    await w.settle();
    expect(state(w.actor)).toBe('{"holding":"active"}');
    expect(w.actor.getSnapshot().context).toMatchObject({ token: 7, activeNodeId: 'n1', acquisitions: 1 });
  });

  it('a loss while still starting stops renewing at once and steps down; back to standby without the token', async () => {
    const w = world();
    w.actor.send({ type: 'lease.acquired', token: 7, value: 'n1|7' });
    w.actor.send({ type: 'lease.lost', reason: 'the lease (token 7) is no longer this node\'s' });
    expect(state(w.actor)).toBe('"steppingDown"');
    expect(w.calls).toContain('hold stopped');
    expect(w.calls.at(-1)).toBe("stop:the lease (token 7) is no longer this node's:n1|7");
    w.finishStop();
    await w.settle();
    expect(state(w.actor)).toBe('"standby"');
    expect(w.actor.getSnapshot().context).toMatchObject({ token: null, value: null, losses: 1 });
  });

  it('capabilities that fail to start step down, naming why', async () => {
    const w = world();
    w.actor.send({ type: 'lease.acquired', token: 3, value: 'n1|3' });
    w.failStart(new Error('broker unreachable'));
    await w.settle();
    expect(state(w.actor)).toBe('"steppingDown"');
    expect(w.actor.getSnapshot().context.lastLoss).toBe('capabilities failed to start: broker unreachable');
  });

  it('a stand-down while active hands over (reason handover) and retires; one asked while stepping down retires after it', async () => {
    const w = world();
    w.actor.send({ type: 'lease.acquired', token: 7, value: 'n1|7' });
    w.finishStart();
    await w.settle();
    w.actor.send({ type: 'lease.standDown' });
    expect(state(w.actor)).toBe('"handingOver"');
    expect(w.calls.at(-1)).toBe('stop:handover:n1|7');
    w.finishStop();
    await w.settle();
    expect(state(w.actor)).toBe('"retired"');

    const v = world();
    v.actor.send({ type: 'lease.acquired', token: 8, value: 'n1|8' });
    v.actor.send({ type: 'lease.lost', reason: 'expired' });
    v.actor.send({ type: 'lease.standDown' });
    expect(state(v.actor)).toBe('"steppingDown"');
    v.finishStop();
    await v.settle();
    expect(state(v.actor)).toBe('"retired"');
    expect(v.calls.filter((call) => call === 'await')).toHaveLength(1);
  });

  it('a standby records who holds the lease, and stops on shutdown', () => {
    const w = world();
    w.actor.send({ type: 'lease.seen', holder: 'n2' });
    expect(w.actor.getSnapshot().context.activeNodeId).toBe('n2');
    w.actor.send({ type: 'tradewire.shutdown' });
    expect(w.actor.getSnapshot().status).toBe('done');
  });
});
