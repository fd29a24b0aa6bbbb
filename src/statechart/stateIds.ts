/**
 * A state node's id in the drawings: the machine's id and the keys down to the node, joined by
 * dots (`order.working`, `ib-connection.connected.health.healthy`). Built from the path alone,
 * never from a custom `id` in the definition, so a state value maps to ids without the machine.
 */
export function stateIdOf(machineId: string, path: readonly string[]): string {
  return [machineId, ...path].join('.');
}
