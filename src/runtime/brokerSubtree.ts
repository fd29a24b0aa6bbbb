import type { Config } from '../config/index.ts';
import type { ChildSpec } from '../supervision/childSpec.ts';
import { supervisor } from '../supervision/supervisorLogic.ts';
import { createSimulatorMachine, simulatorEventSchema } from '../machines/sim/simulatorMachine.ts';
import { simulatorServerActor, type SimulatorServerOptions } from '../actors/simulatorServer.ts';
import type { Logger } from '../log/logger.ts';
import type { RuntimeResources } from './runtimeResources.ts';
import { ibConnectionChild } from './ibConnectionChild.ts';

/** The simulator as a child spec with systemId `sim`. */
export function simulatorChild(config: Config, logger: Logger, onStarted?: SimulatorServerOptions['onStarted']): ChildSpec {
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
 * The broker side. With `broker.mode: sim` the embedded gateway simulator starts first and the
 * IB connection (systemId `ib`) connects to it; rest_for_one restarts the connection whenever
 * the simulator restarts. With `broker.mode: ib` only the connection runs, to the real gateway.
 */
export function brokerSubtree(config: Config, resources: RuntimeResources): ChildSpec | null {
  const { intensity, periodMs, backoff } = config.supervision;
  const children: ChildSpec[] = [];
  if (config.broker.mode === 'sim') children.push(simulatorChild(config, resources.logger));
  for (let index = 0; index < config.broker.pool.size; index += 1) children.push(ibConnectionChild(config, resources, index));
  return supervisor('broker', { strategy: 'rest_for_one', intensity, periodMs, backoff, children });
}
