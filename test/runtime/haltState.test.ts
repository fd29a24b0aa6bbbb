import { describe, expect, it } from 'vitest';
import { IntakeHalt } from '../../src/orders/intakeHalt.ts';
import { HaltState } from '../../src/runtime/haltState.ts';

describe('HaltState', () => {
  it('follows the intake halt: each cause with its reason, who set it and since when; a cleared cause goes', () => {
    const halt = new IntakeHalt();
    const state = new HaltState(halt);
    expect(state.read()).toEqual({ halted: false, causes: [] });
    halt.halt('operator', 'halted by ops at …: bad data', { who: 'ops', reason: 'bad data' });
    halt.halt('redis_state_lost', 'Redis lost its state');
    const halted = state.read();
    expect(halted).toEqual({
      halted: true,
      causes: [
        { cause: 'operator', reason: 'halted by ops at …: bad data', who: 'ops', since: expect.any(String) },
        { cause: 'redis_state_lost', reason: 'Redis lost its state', who: 'tradewire', since: expect.any(String) },
      ],
    });
    expect(Number.isNaN(Date.parse(halted.causes[0]!.since))).toBe(false);
    halt.clear('operator', { who: 'ops', reason: 'fixed' });
    expect(state.read().causes.map((cause) => cause.cause)).toEqual(['redis_state_lost']);
    halt.clear('redis_state_lost');
    expect(state.read()).toEqual({ halted: false, causes: [] });
  });

  it('shows a cause set before it was built as the runtime’s, since it was first read', () => {
    const halt = new IntakeHalt();
    halt.halt('redis_state_lost', 'Redis lost its state');
    const state = new HaltState(halt);
    const first = state.read();
    expect(first.causes).toEqual([{ cause: 'redis_state_lost', reason: 'Redis lost its state', who: 'tradewire', since: expect.any(String) }]);
    expect(state.read()).toEqual(first);
  });
});
