import { z } from 'zod';
import { DURATION_PROBLEM, parseDurationMs } from '../shared/durationText.ts';
import { isoInstantSchema } from '../shared/instantText.ts';

/**
 * Faults the simulator can inject; the admin API validates injected events with this schema. The
 * clock moves ride along: they reach a running simulator the same way (admin route, CLI).
 */
export const simulatorFaultSchema = z.discriminatedUnion('kind', [
  /** Close every client socket (gateway crash / network drop). */
  z.object({ kind: z.literal('dropAll') }),
  /** Keep sockets open but stop reading and answering (on: true, the default) or resume (on: false). */
  z.object({ kind: z.literal('halfOpen'), on: z.boolean().optional() }),
  /** Error 1100 to every client, trading and data halt, then 1101 (data lost) or 1102 (maintained). */
  z.object({
    kind: z.literal('connectivityLost'),
    restoreAfterMs: z.number().int().nonnegative(),
    restoreCode: z.union([z.literal(1101), z.literal(1102)]),
  }),
  /** Error 2110: TWS lost its connection to IB's servers. */
  z.object({ kind: z.literal('ibServerLost') }),
  /** Error 2103: market data farm broken; ticks stop until dataFarmRestored (2104). */
  z.object({ kind: z.literal('dataFarmBroken') }),
  z.object({ kind: z.literal('dataFarmRestored') }),
  /** Delay every outbound message by ms (0 removes the delay). */
  z.object({ kind: z.literal('delay'), ms: z.number().int().nonnegative() }),
  /** Reject the next `count` new orders with error 201. */
  z.object({ kind: z.literal('rejectNextOrders'), count: z.number().int().positive() }),
  /** Report the next execution twice to the client (the ledger records it once). */
  z.object({ kind: z.literal('duplicateNextExecution') }),
  /** Send every client one well-framed but malformed message. */
  z.object({ kind: z.literal('garbledFrame') }),
  /** Gateway restart: every session is dropped; orders, ids, positions and the ledger persist. */
  z.object({ kind: z.literal('restart') }),
  /** Sets the simulator clock to an instant (never earlier than its now: IB time does not go backwards), then it runs on. */
  z.object({ kind: z.literal('clock.set'), at: isoInstantSchema }),
  /** Moves the simulator clock on by a duration ('3d', '2h', '90s', '1h30m' or ms). */
  z.object({
    kind: z.literal('clock.advance'),
    by: z.union([z.string(), z.number()]).refine((by) => parseDurationMs(by) !== undefined, DURATION_PROBLEM),
  }),
]);

export type SimulatorFault = z.infer<typeof simulatorFaultSchema>;
export type SimulatorFaultKind = SimulatorFault['kind'];
