import type { Config } from '../config';
import type { ChildSpec } from '../supervision/childSpec';
import { supervisor } from '../supervision/supervisorLogic';
import { createSimulatorMachine, simulatorEventSchema } from '../machines/simulatorMachine';
import { simulatorServerActor } from '../actors/simulatorServer';
import type { Logger } from '../log/logger';
import type { TwsSimulator } from '../sim';

/** The simulator as a child spec with systemId `sim`. */
export function simulatorChild(config: Config, logger: Logger, onStarted?: (sim: TwsSimulator) => void): ChildSpec {
  return {
    id: 'sim',
    kind: 'tws-simulator',
    logic: createSimulatorMachine(
      simulatorServerActor({ host: config.broker.sim.host, port: config.broker.sim.port, logger, ...(onStarted ? { onStarted } : {}) }),
    ),
    eventSchema: simulatorEventSchema,
    shutdown: 5_000,
  };
}

/**
 * The broker side: with `broker.mode: sim` the embedded gateway simulator runs first, so
 * whatever connects to it (started after it, rest_for_one) restarts when it does.
 */
export function brokerSubtree(config: Config, logger: Logger): ChildSpec | null {
  const { intensity, periodMs, backoff } = config.supervision;
  const children: ChildSpec[] = [];
  if (config.broker.mode === 'sim') children.push(simulatorChild(config, logger));
  if (children.length === 0) return null;
  return supervisor('broker', { strategy: 'rest_for_one', intensity, periodMs, backoff, children });
}
