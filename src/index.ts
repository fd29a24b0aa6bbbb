/** tradewire's public API for embedding the runtime and testing machines under supervision. */
export { SupervisionTree, type SupervisionTreeOptions, type TreeOutcome } from './supervision/supervisionTree';
export { supervisor, supervisorLogic, type SupervisorSnapshot } from './supervision/supervisorLogic';
export type { ChildSpec, SupervisorOptions, RestartType, Shutdown, Strategy, BackoffOptions } from './supervision/childSpec';
export { SupervisorEscalation } from './supervision/supervisorCore';
export { SHUTDOWN_EVENT, markGraceful } from './supervision/shutdownProtocol';
export { createSupervisionServices, type SupervisionServices } from './supervision/services';
export { EventBus } from './supervision/eventBus';
export { DeadLetterChannel, type DeadLetter } from './supervision/deadLetters';
export { createTestHarness, TestHarness } from './testing/harness';
export { createLogger, createSilentLogger } from './log/logger';
