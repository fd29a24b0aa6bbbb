import { assign, sendTo, setup, type AnyActorLogic } from 'xstate';
import { z } from 'zod';
import { simulatorFaultSchema, type SimulatorFault } from '../../sim/faults.ts';
import { SHUTDOWN_EVENT } from '../../supervision/shutdownProtocol.ts';

/** Events users may inject into the simulator actor (admin API, CLI), validated before delivery. */
export const simulatorEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('FAULT'), fault: simulatorFaultSchema }),
  /** Advance the seeded random walk by `steps` (matching runs and ticks stream after each). */
  z.object({ type: z.literal('STEP'), steps: z.number().int().min(1).max(100_000).default(1) }),
  z.object({ type: z.literal(SHUTDOWN_EVENT) }),
]);

export type SimulatorMachineEvent =
  | { type: 'sim.listening'; host: string; port: number }
  | { type: 'sim.failed'; error: string }
  | { type: 'sim.faultRejected'; error: string }
  | { type: 'sim.closed' }
  | { type: 'FAULT'; fault: SimulatorFault }
  | { type: 'STEP'; steps?: number }
  | { type: typeof SHUTDOWN_EVENT };

/** Commands the machine gives the server actor. */
export type SimulatorServerCommand = { type: 'fault'; fault: SimulatorFault } | { type: 'step'; steps: number } | { type: 'close' };

export interface SimulatorContext {
  host: string | null;
  port: number | null;
  faultsInjected: number;
  lastFault: SimulatorFault['kind'] | null;
  lastError: string | null;
}

/**
 * The embedded TWS gateway simulator's lifecycle. The server itself (sockets, matching) is the
 * injected `server` actor; the machine decides when it is listening and routes faults to it.
 */
export function createSimulatorMachine(server: AnyActorLogic) {
  return setup({
    types: { context: {} as SimulatorContext, events: {} as SimulatorMachineEvent },
    actors: { server },
    actions: {
      failStart: (_, params: { error: string }) => {
        // Throwing fails the actor, so its supervisor applies the restart policy.
        throw new Error(`simulator failed to start: ${params.error}`);
      },
    },
  }).createMachine({
    id: 'tws-simulator',
    context: { host: null, port: null, faultsInjected: 0, lastFault: null, lastError: null },
    invoke: { id: 'server', src: 'server' },
    initial: 'starting',
    on: { [SHUTDOWN_EVENT]: '.stopping' },
    states: {
      starting: {
        on: {
          'sim.listening': { target: 'listening', actions: assign({ host: ({ event }) => event.host, port: ({ event }) => event.port }) },
          'sim.failed': { actions: { type: 'failStart', params: ({ event }) => ({ error: event.error }) } },
        },
      },
      listening: {
        on: {
          FAULT: {
            actions: [
              sendTo('server', ({ event }) => ({ type: 'fault', fault: event.fault }) satisfies SimulatorServerCommand),
              assign({ faultsInjected: ({ context }) => context.faultsInjected + 1, lastFault: ({ event }) => event.fault.kind }),
            ],
          },
          STEP: { actions: sendTo('server', ({ event }) => ({ type: 'step', steps: event.steps ?? 1 }) satisfies SimulatorServerCommand) },
          'sim.faultRejected': { actions: assign({ lastError: ({ event }) => event.error }) },
        },
      },
      stopping: {
        entry: sendTo('server', { type: 'close' } satisfies SimulatorServerCommand),
        on: { 'sim.closed': 'stopped' },
      },
      stopped: { type: 'final' },
    },
  });
}
