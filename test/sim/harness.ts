import { EventName, IBApi, IBApiNext, type Contract, type Order, OrderAction, OrderType, SecType } from '@stoqey/ib';
import { futuresCalendar } from '../../src/instruments/calendar/index.ts';
import { TEST_SIM_CLOCK_MS } from '../support/simClock.ts';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { SimulatorOptions, TwsSimulator } from '../../src/sim/index.ts';
import { startSimulator } from '../support/simulator.ts';

export const WAIT_MS = 5_000;

/**
 * A futures contract in the month after the front at the test instant (ESH7, CLG7...: the instrument
 * table's rows), since a future without a month is ambiguous when several are listed. Pass
 * `lastTradeDateOrContractMonth: ''` to ask about every listed month.
 */
export function futures(symbol: string, overrides: Partial<Contract> = {}): Contract {
  return { symbol, secType: SecType.FUT, exchange: '', currency: 'USD', lastTradeDateOrContractMonth: testMonthOf(symbol), ...overrides };
}

function testMonthOf(symbol: string): string {
  return futuresCalendar.knows(symbol) ? (futuresCalendar.listed(symbol, TEST_SIM_CLOCK_MS)[1]?.contractMonth ?? '') : '';
}

export function order(action: 'BUY' | 'SELL', qty: number, type: 'MKT' | 'LMT' | 'STP' | 'STP LMT', extra: Partial<Order> = {}): Order {
  return {
    action: action === 'BUY' ? OrderAction.BUY : OrderAction.SELL,
    totalQuantity: qty,
    orderType: type as OrderType,
    transmit: true,
    ...extra,
  };
}

/** IBApi's `on`/`off` are overloaded per event; the harness listens generically. */
interface GenericEmitter {
  on(event: string, listener: (...args: any[]) => void): unknown;
  off(event: string, listener: (...args: any[]) => void): unknown;
}

export interface RecordedError {
  message: string;
  code: number;
  reqId: number;
}

/**
 * A real IBApi client plus a record of every error it emitted. Tests claim the errors they expect
 * with `takeErrors`; `unexpectedErrors()` must be empty at the end of every test.
 */
export class TestClient {
  readonly ib: IBApi;
  readonly errors: RecordedError[] = [];
  readonly infos: { message: string; code: number }[] = [];
  private claimed = new Set<RecordedError>();

  constructor(port: number, options: { maxReqPerSec?: number } = {}) {
    this.ib = new IBApi({ host: '127.0.0.1', port, maxReqPerSec: options.maxReqPerSec ?? 10_000 });
    this.ib.on(EventName.error, (error: Error, code: number, reqId: number) => {
      this.errors.push({ message: error.message, code, reqId });
    });
    this.ib.on(EventName.info, (message: string, code: number) => this.infos.push({ message, code }));
  }

  /** Connects with the given client id and resolves with the first nextValidId. */
  async connect(clientId: number): Promise<number> {
    const id = this.next(EventName.nextValidId);
    this.ib.connect(clientId);
    const [orderId] = await id;
    return orderId as number;
  }

  /** Resolves with the arguments of the next `event` whose arguments satisfy `match`. */
  next(event: EventName, match: (...args: any[]) => boolean = () => true, timeoutMs = WAIT_MS): Promise<any[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.emitter.off(event, listener);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${event}`));
      }, timeoutMs);
      const listener = (...args: any[]) => {
        if (!match(...args)) return;
        clearTimeout(timer);
        this.emitter.off(event, listener);
        resolve(args);
      };
      this.emitter.on(event, listener);
    });
  }

  /** Collects `event` arguments until `until` fires (inclusive of nothing from `until`). */
  collect(event: EventName, until: EventName, untilMatch: (...args: any[]) => boolean = () => true): Promise<any[][]> {
    const items: any[][] = [];
    const listener = (...args: any[]) => items.push(args);
    this.emitter.on(event, listener);
    return this.next(until, untilMatch).then(
      () => {
        this.emitter.off(event, listener);
        return items;
      },
      (error) => {
        this.emitter.off(event, listener);
        throw error;
      },
    );
  }

  /** Waits until an error with `code` (and optionally reqId) has been emitted, and claims it. */
  async expectError(code: number, reqId?: number, timeoutMs = WAIT_MS): Promise<RecordedError> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.errors.find((e) => !this.claimed.has(e) && e.code === code && (reqId === undefined || e.reqId === reqId));
      if (found) {
        this.claimed.add(found);
        return found;
      }
      if (Date.now() > deadline) throw new Error(`no error ${code}${reqId === undefined ? '' : ` for ${reqId}`}; saw ${JSON.stringify(this.errors)}`);
      await this.next(EventName.error, () => true, Math.max(1, deadline - Date.now())).catch(() => undefined);
    }
  }

  async expectInfo(code: number, timeoutMs = WAIT_MS): Promise<void> {
    if (this.infos.some((i) => i.code === code)) return;
    await this.next(EventName.info, (_m: string, c: number) => c === code, timeoutMs);
  }

  unexpectedErrors(): RecordedError[] {
    return this.errors.filter((e) => !this.claimed.has(e));
  }

  /** Adds a listener for any event (IBApi's typed overloads do not accept a variable event name). */
  on(event: EventName, listener: (...args: any[]) => void): void {
    this.emitter.on(event, listener);
  }

  disconnect(): void {
    this.ib.disconnect();
  }

  private get emitter(): GenericEmitter {
    return this.ib as unknown as GenericEmitter;
  }
}

export async function waitForDisconnect(client: TestClient): Promise<void> {
  if (!client.ib.isConnected) return;
  await client.next(EventName.disconnected);
}

export { EventName, IBApi, IBApiNext };

/**
 * One simulator for a describe block and a fresh TestClient per test: each test ends by checking
 * that its client saw no error it did not claim. `connect()` takes the next client id.
 */
export function simulatorClients(options: () => SimulatorOptions) {
  let sim: TwsSimulator | undefined;
  let port = 0;
  let client: TestClient | undefined;
  let nextClientId = 1;
  beforeAll(async () => {
    ({ sim, port } = await startSimulator(options()));
  });
  afterAll(async () => sim?.close());
  afterEach(() => {
    if (!client) return;
    const unexpected = client.unexpectedErrors();
    client.disconnect();
    client = undefined;
    expect(unexpected).toEqual([]);
  });
  return {
    get sim(): TwsSimulator {
      if (!sim) throw new Error('the simulator is not started yet');
      return sim;
    },
    get port(): number {
      return port;
    },
    get client(): TestClient {
      if (!client) throw new Error('connect() first');
      return client;
    },
    /** This test's client, not yet connected (for watching the handshake itself). */
    newClient(): TestClient {
      client = new TestClient(port);
      return client;
    },
    async connect(): Promise<number> {
      client = new TestClient(port);
      return client.connect(nextClientId++);
    },
    /** A client id no test has used, for a client the test makes itself. */
    takeClientId(): number {
      return nextClientId++;
    },
    /** The client id the latest connect() or takeClientId() used. */
    get lastClientId(): number {
      return nextClientId - 1;
    },
  };
}
