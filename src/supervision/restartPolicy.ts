import type { RestartType, Strategy } from './childSpec.ts';

/** Why a child stopped running: it finished (`normal`) or failed (`error`). */
export type ExitReason = 'normal' | 'error';

/** OTP's do_restart: permanent always restarts; transient only after a failure; temporary never. */
export function shouldRestart(restart: RestartType, reason: ExitReason): boolean {
  if (restart === 'permanent') return true;
  if (restart === 'transient') return reason === 'error';
  return false;
}

/** Whether the child's spec is forgotten once it exits without a restart (OTP deletes temporary children). */
export function forgetsSpecOnExit(restart: RestartType): boolean {
  return restart === 'temporary';
}

/**
 * The children a strategy restarts when the child at `failedIndex` fails, in start order.
 * `order` is every child in start order.
 */
export function childrenToRestart(strategy: Strategy, order: readonly string[], failedIndex: number): string[] {
  if (strategy === 'one_for_all') return [...order];
  if (strategy === 'rest_for_one') return order.slice(failedIndex);
  return [order[failedIndex]!];
}
