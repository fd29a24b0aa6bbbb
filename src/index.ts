/** tradewire's public API for embedding the runtime and testing machines under supervision. */
export { SupervisionTree, type SupervisionTreeOptions, type TreeOutcome } from './supervision/supervisionTree.ts';
export { supervisor, supervisorLogic, type SupervisorSnapshot } from './supervision/supervisorLogic.ts';
export type { ChildSpec, SupervisorOptions, RestartType, Shutdown, Strategy, BackoffOptions } from './supervision/childSpec.ts';
export { SupervisorEscalation } from './supervision/supervisorCore.ts';
export { SHUTDOWN_EVENT, markGraceful } from './supervision/shutdownProtocol.ts';
export { createSupervisionServices, type SupervisionServices } from './supervision/services.ts';
export { EventBus } from './supervision/eventBus.ts';
export { DeadLetterChannel, type DeadLetter } from './supervision/deadLetters.ts';
export { createTestHarness, TestHarness } from './testing/harness.ts';
export { createLogger, createSilentLogger } from './log/logger.ts';
