import { createSilentLogger } from '../../src/log/logger.ts';
import { TwsSimulator, type SimulatorOptions } from '../../src/sim/index.ts';

/** A simulator on an ephemeral loopback port, manual price stepping unless asked otherwise. */
export async function startSimulator(options: SimulatorOptions = {}, port = 0): Promise<{ sim: TwsSimulator; port: number }> {
  const sim = new TwsSimulator({ tickIntervalMs: 0, logger: createSilentLogger(), ...options });
  const listening = await sim.listen(port);
  return { sim, port: listening.port };
}
