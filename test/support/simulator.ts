import { createSilentLogger } from '../../src/log/logger.ts';
import { TwsSimulator, type SimulatorOptions } from '../../src/sim/index.ts';
import { TEST_SIM_CLOCK } from './simClock.ts';

/**
 * A simulator on an ephemeral loopback port, manual price stepping unless asked otherwise, its
 * clock starting at TEST_SIM_CLOCK (in session, whatever day the tests run) unless given a clock.
 */
export async function startSimulator(options: SimulatorOptions = {}, port = 0): Promise<{ sim: TwsSimulator; port: number }> {
  const sim = new TwsSimulator({ tickIntervalMs: 0, clock: TEST_SIM_CLOCK, logger: createSilentLogger(), ...options });
  const listening = await sim.listen(port);
  return { sim, port: listening.port };
}
