import net from 'node:net';
import { createLogger, type Logger } from '../log/logger.ts';
import type { PositionSnapshot } from './broker/accounts.ts';
import { Broker } from './broker/broker.ts';
import { ConnectionLedger } from './ledger/connectionLedger.ts';
import { MessageLedger } from './ledger/messageLedger.ts';
import { SimulatorLedger } from './ledger/simulatorLedger.ts';
import { SettableClock } from '../shared/settableClock.ts';
import { type SimOrder, systemClock } from './broker/types.ts';
import type { SimulatorFault } from './faults.ts';
import type { Instrument } from '../instruments/instruments.ts';
import { InstrumentCatalogue, type ListingChange } from '../instruments/catalogue.ts';
import { PriceFeed } from './market/priceFeed.ts';
import { type SimulatorConfig, type SimulatorOptions, simClockStart, simulatorOptionsSchema } from './options.ts';
import type { FaultState, SimContext } from './server/context.ts';
import { accountFigures } from './server/handlers/account.ts';
import { writeLiveBarUpdate, writeQuote } from './server/handlers/marketData.ts';
import type { LiveBar } from './market/liveBar.ts';
import { FaultInjector } from './server/faultInjector.ts';
import { createOrderEventRouter } from './server/orderEvents.ts';
import { type OrderObserver, withObservers } from './server/orderObservers.ts';
import { pushPnlUpdates } from './server/handlers/pnl.ts';
import { recordingCompletions } from './server/handlers/startup.ts';
import { createDispatcher } from './server/router.ts';
import { Session } from './server/session.ts';

export { simulatorFaultSchema, type SimulatorFault } from './faults.ts';
export { simulatorOptionsSchema, type SimulatorOptions, type SimulatorConfig } from './options.ts';
export type { Execution, SimOrder } from './broker/types.ts';
export type { ExecutionsLedger, ExecutionQuery } from './broker/ledger.ts';
export type { SimulatorLedger } from './ledger/simulatorLedger.ts';
export type { ConnectionRecord, ConnectionQuery, ConnectionStatus } from './ledger/connectionLedger.ts';
export type { OrderMessageRecord, OrderMessageQuery, OrderMessageType, OrderKey, PlaceOrderDetails } from './ledger/messageLedger.ts';
export type { PositionSnapshot } from './broker/accounts.ts';
export type { OrderObserver } from './server/orderObservers.ts';
export { DEFAULT_INSTRUMENTS, type InstrumentConfig } from '../instruments/instruments.ts';
export { MIN_SUPPORTED_SERVER_VERSION, MAX_SUPPORTED_SERVER_VERSION } from './protocol/serverVersions.ts';

export interface ConnectedClient {
  /** The connection's id in ledger.connections(). */
  connectionId: number;
  clientId: number;
  serverVersion: number;
  remote: string;
}

/**
 * An in-process IB Gateway stand-in speaking the real TWS socket protocol (server versions
 * 100..193), with a seeded market, a matching engine, an executions ledger and fault injection.
 */
export class TwsSimulator {
  readonly config: SimulatorConfig;
  readonly catalogue: InstrumentCatalogue;
  private readonly logger: Logger;
  private readonly clock: SettableClock;
  private readonly feed: PriceFeed;
  private readonly broker: Broker;
  private readonly simLedger: SimulatorLedger;
  private readonly faults: FaultState = {
    halfOpen: false,
    connectivityLost: false,
    dataFarmBroken: false,
    delayMs: 0,
    duplicateNextExecution: false,
  };
  private readonly ctx: SimContext;
  private readonly sessions = new Set<Session>();
  private server: net.Server | undefined;
  private boundAddress: { host: string; port: number } | undefined;
  private tickTimer: NodeJS.Timeout | undefined;
  private readonly faultInjector: FaultInjector;
  private readonly orderObservers = new Set<OrderObserver>();
  // Pre-bound callbacks and a cursor keep the per-step streaming loop free of allocations.
  private readonly streamToSession = (session: Session) => this.streamTicks(session);
  private streamingTo: Session | undefined;
  private readonly writeSubscription = (instrument: Instrument, tickerId: number) => {
    // Outside its session a market sends nothing, as IB's does.
    if (this.catalogue.isOpen(instrument)) writeQuote((this.streamingTo as Session).out, this.ctx, tickerId, instrument);
  };
  private readonly writeLiveBar = (bar: LiveBar, reqId: number) => {
    if (this.catalogue.isOpen(bar.instrument)) writeLiveBarUpdate((this.streamingTo as Session).out, this.ctx, reqId, bar);
  };

  constructor(options: SimulatorOptions = {}) {
    const { logger, clock, ...rest } = options;
    this.config = simulatorOptionsSchema.parse(rest);
    this.logger = logger ?? createLogger();
    const baseClock = typeof clock === 'object' ? clock : systemClock;
    this.clock = new SettableClock(baseClock, simClockStart(clock));
    this.catalogue = new InstrumentCatalogue(this.config.instruments, undefined, this.clock.now());
    this.feed = new PriceFeed(this.catalogue.products, this.config.seed, this.config.volatility);
    const connections = new ConnectionLedger();
    const messages = new MessageLedger();
    this.simLedger = new SimulatorLedger(connections, messages);
    this.broker = new Broker(
      this.feed,
      this.config.accounts,
      {
        slippageTicks: this.config.slippageTicks,
        partialFills: this.config.partialFills,
        commissionPerContract: this.config.commissionPerContract,
        // Start time, like IB's execIds, so ids stay unique across simulator restarts: the base
        // clock's, since a configured start instant is the same at every restart.
        execIdPrefix: (Math.floor(baseClock.now() / 1000) >>> 0).toString(16).padStart(8, '0'),
        isOpen: (instrument) => this.catalogue.isOpen(instrument),
      },
      this.clock,
      this.simLedger,
    );
    this.ctx = {
      config: this.config,
      catalogue: this.catalogue,
      feed: this.feed,
      broker: this.broker,
      clock: this.clock,
      logger: this.logger,
      faults: this.faults,
      accountIds: this.config.accounts.map((a) => a.id),
      readySessions: new Map(),
      connections,
      messages,
      followCalendar: () => this.followCalendar(),
      completedAt: new WeakMap(),
    };
    const router = recordingCompletions(createOrderEventRouter(this.ctx), this.ctx);
    this.broker.setListener(withObservers(router, this.orderObservers, this.logger));
    this.faultInjector = new FaultInjector(this.ctx, () => this.sessions, this);
  }

  /**
   * The reconciliation truth: every execution (all(), byOrderRef(), query()...), every API
   * connection (connections()) and every order-affecting message with who sent it (messages()).
   */
  get ledger(): SimulatorLedger {
    return this.simLedger;
  }

  get address(): { host: string; port: number } | undefined {
    return this.boundAddress;
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<{ host: string; port: number }> {
    if (this.server) throw new Error('simulator is already listening');
    const dispatch = createDispatcher(this.ctx);
    const server = net.createServer((socket) => this.accept(socket, dispatch));
    server.on('error', (error) => this.logger.error('sim server error', { component: 'sim', error: error.message }));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    const bound = server.address() as net.AddressInfo;
    this.boundAddress = { host, port: bound.port };
    if (this.config.tickIntervalMs > 0) {
      this.tickTimer = setInterval(() => {
        try {
          this.stepPrices(1);
        } catch (error) {
          // A bug on the streaming path must not take the host process down with it.
          this.logger.error('price step failed', { component: 'sim', error: (error as Error).stack ?? String(error) });
        }
      }, this.config.tickIntervalMs);
    }
    this.logger.info(`sim listening on ${host}:${bound.port}`, { component: 'sim', host, port: bound.port, versions: this.config.serverVersionRange });
    return this.boundAddress;
  }

  async close(): Promise<void> {
    if (this.tickTimer) clearInterval(this.tickTimer);
    this.tickTimer = undefined;
    this.faultInjector.dispose();
    for (const session of [...this.sessions]) session.destroy('simulator closing');
    const server = this.server;
    this.server = undefined;
    this.boundAddress = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    this.logger.info('sim closed', { component: 'sim' });
  }

  /** Clients past the startApi handshake. */
  clients(): ConnectedClient[] {
    return [...this.ctx.readySessions.values()].map((s) => ({
      connectionId: s.connectionId,
      clientId: s.clientId,
      serverVersion: s.serverVersion,
      remote: s.remote,
    }));
  }

  /** Watches the book: every order accepted or modified, filled and cancelled. Returns the unsubscribe. */
  observeOrders(observer: OrderObserver): () => void {
    this.orderObservers.add(observer);
    return () => this.orderObservers.delete(observer);
  }

  /** Injects a fault (validated with simulatorFaultSchema; throws on an invalid one). */
  injectFault(fault: SimulatorFault): void {
    this.faultInjector.inject(fault);
  }

  /** The simulator's clock (epoch ms): execution times, currentTime, bars. */
  now(): number {
    return this.clock.now();
  }

  /**
   * Sets the simulator clock to an instant, from which it runs on with real time. Never earlier
   * than now: IB's time does not go backwards, and booked executions would sit in the future.
   */
  setClock(instantMs: number): void {
    if (!Number.isFinite(instantMs)) throw new Error(`clock.set: the instant must be epoch ms, got ${instantMs}`);
    const now = this.clock.now();
    if (instantMs < now) {
      throw new Error(
        `clock.set: ${new Date(instantMs).toISOString()} is earlier than the simulator's now ${new Date(now).toISOString()}; IB time never goes backwards`,
      );
    }
    this.clock.setTo(instantMs);
    this.logger.info('sim clock set', { component: 'sim', now: new Date(instantMs).toISOString() });
    this.afterClockChange();
  }

  /** Moves the simulator clock on by `ms` (a whole, non-negative number), as if that time had passed. */
  advanceClock(ms: number): void {
    if (!Number.isSafeInteger(ms) || ms < 0) throw new Error(`clock.advance: by must be a whole, non-negative number of ms, got ${ms}`);
    this.clock.advanceBy(ms);
    this.logger.info('sim clock advanced', { component: 'sim', byMs: ms, now: new Date(this.clock.now()).toISOString() });
    this.afterClockChange();
  }

  /** Advances the random walk n steps; each step runs the matching engine and streams ticks. */
  stepPrices(n = 1): void {
    for (let k = 0; k < n; k++) {
      this.followCalendar();
      this.feed.step(this.catalogue.openFlags);
      this.afterPriceChange();
    }
  }

  /** Sets one instrument's last price (rounded to its tick), then matches and streams as a step would. */
  setPrice(symbol: string, price: number): void {
    this.feed.setPrice(this.instrument(symbol), price);
    this.afterPriceChange();
  }

  price(symbol: string): number {
    return this.feed.price(this.instrument(symbol));
  }

  /** Positions of one account or of all accounts. */
  positions(account?: string): PositionSnapshot[] {
    return [...this.broker.accounts.values()].filter((a) => account === undefined || a.id === account).flatMap((a) => a.snapshot());
  }

  /** Account figures by TWS tag (NetLiquidation, InitMarginReq, ...). */
  accountValues(account: string): Record<string, number | string> {
    const found = this.broker.accounts.get(account);
    if (!found) throw new Error(`unknown account ${account}`);
    return accountFigures(this.ctx, found);
  }

  /** Working (not filled, not cancelled) orders, optionally for one client id. */
  openOrders(clientId?: number): SimOrder[] {
    return this.broker.openOrders(clientId).map((o) => ({ ...o }));
  }

  /** Every order the broker has accepted, in any state. */
  orders(): SimOrder[] {
    return this.broker.allOrders().map((o) => ({ ...o }));
  }

  private instrument(symbol: string): Instrument {
    const instrument = this.catalogue.bySymbolName(symbol);
    if (!instrument) throw new Error(`unknown symbol ${symbol}`);
    return instrument;
  }

  private accept(socket: net.Socket, dispatch: ReturnType<typeof createDispatcher>): void {
    const session = new Session(socket, this.ctx, dispatch);
    this.sessions.add(session);
    session.whenClosed((closed) => {
      this.sessions.delete(closed);
      const fields = { component: 'sim', connection: closed.connectionId, remote: closed.remote, reason: closed.closeReason };
      if (this.ctx.readySessions.get(closed.clientId) === closed) {
        this.ctx.readySessions.delete(closed.clientId);
        this.logger.info('client disconnected', { ...fields, clientId: closed.clientId });
      } else {
        // Never got past the handshake; a rejection was already logged with its reason.
        this.logger.debug('connection closed', fields);
      }
    });
  }

  /**
   * Applies the calendar at the clock's minute boundaries: expired months leave the listing (their
   * working orders are cancelled and their subscriptions end, as at IB), and a session's close
   * expires its DAY orders.
   */
  private followCalendar(): void {
    const change = this.catalogue.refreshIfDue(this.clock.now());
    if (change) this.applyListingChange(change);
  }

  private applyListingChange(change: ListingChange): void {
    if (change.expired.length > 0) {
      const expired = new Set(change.expired);
      this.broker.cancelWhere((order) => expired.has(order.instrument));
      for (const session of this.sessions) {
        for (const [tickerId, instrument] of session.marketData) if (expired.has(instrument)) session.marketData.delete(tickerId);
        for (const [reqId, bar] of session.liveBars) if (expired.has(bar.instrument)) session.liveBars.delete(reqId);
      }
      this.logger.info(`contracts expired: ${change.expired.map((i) => i.localSymbol).join(', ')}`, { component: 'sim' });
    }
    if (change.closed.length > 0) {
      const closed = new Set(change.closed.map((p) => p.index));
      this.broker.cancelWhere((order) => order.tif === 'DAY' && closed.has(order.instrument.index));
    }
  }

  /** Time jumped: expiries, session edges, matching and streaming are all re-evaluated at once. */
  private afterClockChange(): void {
    this.followCalendar();
    this.afterPriceChange();
  }

  private afterPriceChange(): void {
    if (this.faults.connectivityLost) return;
    this.broker.matchAll();
    pushPnlUpdates(this.ctx);
    if (this.faults.halfOpen || this.faults.dataFarmBroken) return;
    this.ctx.readySessions.forEach(this.streamToSession);
  }

  private streamTicks(session: Session): void {
    if (session.marketData.size === 0 && session.liveBars.size === 0) return;
    if (session.backlogBytes > this.config.maxBufferedBytesForTicks) return;
    this.streamingTo = session;
    session.marketData.forEach(this.writeSubscription);
    session.liveBars.forEach(this.writeLiveBar);
    this.streamingTo = undefined;
    session.flushSoon();
  }
}
