/**
 * The continuity guard's own Redis key, under the runtime's namespace. The other anchors it checks
 * live where their owners put them: the order-id marks (createIbConnection) and the audit trail
 * (auditKeys).
 */
export function continuityKeys(namespace = 'tradewire') {
  return {
    /** String: the store's epoch, a random id written once by the first process that finds it empty. */
    epoch: `${namespace}:continuity:epoch`,
    /** String (JSON): an operator's halt of order intake, kept so it survives restarts. */
    operatorHalt: `${namespace}:halt:operator`,
  };
}

export type ContinuityKeys = ReturnType<typeof continuityKeys>;
