import { TwsSimulator, type SimulatorOptions } from '../sim/index.ts';
import type { Logger } from '../log/logger.ts';
import type { SimulatorMachineEvent, SimulatorServerCommand } from '../machines/sim/simulatorMachine.ts';
import { containedCallback } from './containedCallback.ts';
import { errorMessage } from '../shared/errorMessage.ts';

export interface SimulatorServerOptions {
  host: string;
  port: number;
  logger: Logger;
  simulator?: Omit<SimulatorOptions, 'logger'>;
  /** Called with each new simulator instance, so tests and tools can read its ledger. */
  onStarted?: (simulator: TwsSimulator) => void;
}

/** Runs one TwsSimulator on a loopback port for as long as the actor lives. */
export function simulatorServerActor(options: SimulatorServerOptions) {
  return containedCallback<SimulatorServerCommand, unknown, SimulatorMachineEvent>(({ sendBack, receive }) => {
    const simulator = new TwsSimulator({ ...options.simulator, logger: options.logger });
    options.onStarted?.(simulator);
    simulator.listen(options.port, options.host).then(
      // TwsSimulator.listen logs `sim listening on <host>:<port>` itself.
      (address) => sendBack({ type: 'sim.listening', host: address.host, port: address.port }),
      (error: Error) => sendBack({ type: 'sim.failed', error: error.message }),
    );
    receive((command) => {
      if (command.type === 'fault') {
        try {
          simulator.injectFault(command.fault);
        } catch (error) {
          sendBack({ type: 'sim.faultRejected', error: errorMessage(error) });
        }
      } else if (command.type === 'step') {
        simulator.stepPrices(command.steps);
      } else {
        simulator.close().then(() => sendBack({ type: 'sim.closed' }));
      }
    });
    return () => {
      void simulator.close();
    };
  });
}
