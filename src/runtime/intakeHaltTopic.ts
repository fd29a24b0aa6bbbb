import type { IntakeHalt } from '../orders/intakeHalt.ts';
import type { EventBus } from '../supervision/eventBus.ts';

/** The bus topic of an order-intake halt or resume (payload: HaltChange). */
export const INTAKE_HALT_TOPIC = 'intake.halt';

/**
 * Puts every change of the intake halt on the bus (an operator's halt or resume on any node, a Redis
 * state loss): the halt itself is plain state the order checks read, and knows no bus.
 */
export function publishIntakeHalts(halt: IntakeHalt, bus: EventBus): () => void {
  return halt.onChange((_reason, change) => {
    bus.publish(INTAKE_HALT_TOPIC, change);
  });
}
