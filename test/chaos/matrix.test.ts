import { describe, expect, it } from 'vitest';
import { matrixPassed, runFaultMatrix } from '../../chaos/matrix.ts';

/** Fixed, so a failure here replays the same orders and the same fault schedule. */
const SEED = 20261205;

describe('fault matrix (runtime as a child process, simulator in process, private Redis)', () => {
  it('under every kind of fault, loses, doubles and invents nothing, and detects every Redis wipe', async () => {
    const lines: string[] = [];
    const outcome = await runFaultMatrix({
      seed: SEED,
      orders: 40,
      streamMs: 20_000,
      faults: { process_kill: 1, actor_crash: 1, redis_client_kill: 1, redis_wipe: 1, gateway: 1, forged_input: 1 },
      settleTimeoutMs: 25_000,
      detectionTimeoutMs: 10_000,
      log: (line) => lines.push(line),
    });
    const { result } = outcome;
    // Findings first: on failure they name the order, execution or fault.
    expect(outcome.findings, lines.join('\n')).toEqual([]);
    expect(result, lines.join('\n')).toMatchObject({ orders: 40, lost: 0, duplicated: 0, phantom: 0, unexplained: 0, state_loss_detected: 1 });
    expect(result.faults).toMatchObject({ process_kill: 1, actor_crash: 1, redis_client_kill: 1, redis_wipe: 1, gateway: 1 });
    expect(result.faults.forged_input).toBeGreaterThanOrEqual(8);
    expect(matrixPassed(result)).toBe(true);
  }, 120_000);
});
