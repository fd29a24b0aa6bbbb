import { fromPromise } from 'xstate';
import { createReporterMachine } from './reporterMachine.ts';

/** The reporter machine with inert actors, for `tradewire graph reporter` (only its shape matters). */
export function reporterGraphMachine() {
  const inert = <T>() => fromPromise<T, any>(() => new Promise<T>(() => undefined));
  return createReporterMachine({ render: inert(), validate: inert(), submit: inert(), awaitAck: inert() });
}
