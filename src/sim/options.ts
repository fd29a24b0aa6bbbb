import { z } from 'zod';
import type { Clock } from '../shared/clock.ts';
import { INSTANT_PROBLEM, parseIsoInstant } from '../shared/instantText.ts';
import type { Logger } from '../log/logger.ts';
import { DEFAULT_INSTRUMENTS, instrumentSchema } from '../instruments/instruments.ts';
import { MAX_FRAME_BYTES } from './protocol/frameDecoder.ts';
import { MAX_SUPPORTED_SERVER_VERSION, MIN_SUPPORTED_SERVER_VERSION } from './protocol/serverVersions.ts';

const serverVersion = z.number().int().min(MIN_SUPPORTED_SERVER_VERSION).max(MAX_SUPPORTED_SERVER_VERSION);

export const simulatorOptionsSchema = z.object({
  /** Versions the simulated gateway accepts; it answers with the highest one the client also supports. */
  serverVersionRange: z
    .object({ min: serverVersion, max: serverVersion })
    .refine((r) => r.min <= r.max, 'serverVersionRange.min must not exceed max')
    .prefault({ min: MIN_SUPPORTED_SERVER_VERSION, max: MAX_SUPPORTED_SERVER_VERSION }),
  instruments: z.array(instrumentSchema).min(1).prefault([...DEFAULT_INSTRUMENTS]),
  seed: z.number().int().default(1),
  /** Per-step standard deviation of price moves, as a fraction of price. */
  volatility: z.number().nonnegative().default(0.0001),
  /** Price step (and tick streaming) period; 0 means prices only move via stepPrices()/setPrice(). */
  tickIntervalMs: z.number().int().nonnegative().default(250),
  /** Ticks a market (or triggered stop) order pays away from the last price. */
  slippageTicks: z.number().int().nonnegative().default(1),
  /** When enabled, each matching pass (order arrival, then every price step) fills at most maxQtyPerFill. */
  partialFills: z
    .object({ enabled: z.boolean().default(false), maxQtyPerFill: z.number().int().positive().default(1) })
    .prefault({}),
  commissionPerContract: z.number().nonnegative().default(2.25),
  pacing: z
    .object({
      enabled: z.boolean().default(true),
      maxMessagesPerSecond: z.number().int().positive().default(50),
      /** Close the connection after this many pacing violations (unset: never). */
      disconnectAfterViolations: z.number().int().positive().optional(),
    })
    .prefault({}),
  accounts: z
    .array(
      z.object({
        id: z.string().min(1),
        cash: z.number().default(1_000_000),
        currency: z.string().length(3).default('USD'),
      }),
    )
    .min(1)
    .prefault([{ id: 'DU1234567' }]),
  /** Largest inbound frame accepted; larger length prefixes close that client's socket. */
  maxFrameBytes: z.number().int().positive().max(MAX_FRAME_BYTES).default(MAX_FRAME_BYTES),
  /**
   * TWS's "Master API client ID" setting: that client id is also sent openOrder, orderStatus,
   * execDetails and commissionReport for every other client's orders. Unset (TWS's default): none.
   */
  masterClientId: z.number().int().optional(),
  /** Socket backlog beyond which market data for a slow client is dropped (orders never are). */
  maxBufferedBytesForTicks: z.number().int().positive().default(8 * 1024 * 1024),
});

export type SimulatorConfig = z.output<typeof simulatorOptionsSchema>;

export type SimulatorOptions = z.input<typeof simulatorOptionsSchema> & {
  logger?: Logger;
  /**
   * Where the simulator's clock (execution times, currentTime, bars, pacing) starts: an ISO 8601
   * instant with a zone, from which it runs with real time; or a Clock it follows (a test's fake).
   * Absent: the system clock. Either way setClock/advanceClock (and the clock faults) move it.
   */
  clock?: Clock | string;
};

/** The start instant the `clock` option names, if it is text; refuses bad text naming the option. */
export function simClockStart(clock: Clock | string | undefined): number | undefined {
  if (typeof clock !== 'string') return undefined;
  const ms = parseIsoInstant(clock);
  if (ms === undefined) throw new Error(`simulator option clock ${INSTANT_PROBLEM}; got ${JSON.stringify(clock)}`);
  return ms;
}
