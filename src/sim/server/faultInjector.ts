import type { Broker } from '../broker/broker.ts';
import type { Logger } from '../../log/logger.ts';
import { parseDurationMs } from '../../shared/durationText.ts';
import { parseIsoInstant } from '../../shared/instantText.ts';
import { type SimulatorFault, simulatorFaultSchema } from '../faults.ts';
import { ERR, MSG } from '../protocol/errorCodes.ts';
import { OUT } from '../protocol/messageIds.ts';
import type { FaultState, SimContext } from './context.ts';
import type { Session } from './session.ts';

/** The simulator's clock moves; they validate direction and re-evaluate the market themselves. */
export interface ClockControl {
  setClock(instantMs: number): void;
  advanceClock(ms: number): void;
}

/**
 * Applies injected faults so that clients observe what they would from a real IB Gateway:
 * dropped sockets, silence, 1100/1101/1102, 2110, 2103/2104, latency, rejections, duplicate
 * executions, undecodable frames and gateway restarts.
 */
export class FaultInjector {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly faults: FaultState;
  private readonly broker: Broker;
  private readonly logger: Logger;

  constructor(
    private readonly ctx: SimContext,
    /** Every open connection, including ones still in the handshake. */
    private readonly allSessions: () => Iterable<Session>,
    private readonly clock: ClockControl,
  ) {
    this.faults = ctx.faults;
    this.broker = ctx.broker;
    this.logger = ctx.logger;
  }

  inject(input: SimulatorFault): void {
    const fault = simulatorFaultSchema.parse(input);
    this.logger.info('fault injected', { component: 'sim', fault });
    switch (fault.kind) {
      case 'dropAll':
        return this.dropSessions('fault: dropAll');
      case 'halfOpen':
        this.faults.halfOpen = fault.on ?? true;
        return;
      case 'connectivityLost':
        return this.loseConnectivity(fault.restoreAfterMs, fault.restoreCode);
      case 'ibServerLost':
        return this.broadcastInfo(ERR.IB_SERVER_CONNECTION_BROKEN, MSG.ibServerLost);
      case 'dataFarmBroken':
        this.faults.dataFarmBroken = true;
        return this.broadcastInfo(ERR.MARKET_DATA_FARM_BROKEN, MSG.marketDataFarmBroken);
      case 'dataFarmRestored':
        this.faults.dataFarmBroken = false;
        return this.broadcastInfo(ERR.MARKET_DATA_FARM_OK, MSG.marketDataFarmOk);
      case 'delay':
        this.faults.delayMs = fault.ms;
        return;
      case 'rejectNextOrders':
        this.broker.rejectNextOrders(fault.count);
        return;
      case 'duplicateNextExecution':
        this.faults.duplicateNextExecution = true;
        return;
      case 'garbledFrame':
        return this.sendGarbledFrame();
      case 'restart':
        return this.restart();
      case 'clock.set':
        // The schema admitted it, so it parses.
        return this.clock.setClock(parseIsoInstant(fault.at) as number);
      case 'clock.advance':
        return this.clock.advanceClock(parseDurationMs(fault.by) as number);
    }
  }

  /** Cancels pending restorations (simulator shutdown). */
  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private dropSessions(reason: string): void {
    for (const session of [...this.allSessions()]) session.destroy(reason);
  }

  private broadcastInfo(code: number, message: string): void {
    for (const session of this.ctx.readySessions.values()) session.sendError(-1, code, message);
  }

  private loseConnectivity(restoreAfterMs: number, restoreCode: 1101 | 1102): void {
    this.faults.connectivityLost = true;
    this.broker.halted = true;
    this.broadcastInfo(ERR.CONNECTIVITY_LOST, MSG.connectivityLost);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.faults.connectivityLost = false;
      this.broker.halted = false;
      if (restoreCode === ERR.CONNECTIVITY_RESTORED_DATA_LOST) {
        // "Data lost": subscriptions are gone and clients must re-request market data.
        for (const session of this.allSessions()) {
          session.marketData.clear();
          session.liveBars.clear();
        }
        this.broadcastInfo(restoreCode, MSG.restoredDataLost);
      } else {
        this.broadcastInfo(restoreCode, MSG.restoredDataMaintained);
      }
      this.logger.info('fault cleared', { component: 'sim', fault: 'connectivityLost', restoreCode });
      this.broker.matchAll();
    }, restoreAfterMs);
    this.timers.add(timer);
  }

  /** A correctly framed ORDER_STATUS cut short: the client's decoder reports an underrun and carries on. */
  private sendGarbledFrame(): void {
    for (const session of this.ctx.readySessions.values()) {
      session.out.begin(OUT.ORDER_STATUS).int(1).end();
      session.flushSoon();
    }
  }

  /** The gateway comes back clean; the broker's orders, ids, positions and ledger are untouched. */
  private restart(): void {
    this.dropSessions('fault: restart');
    this.dispose();
    this.faults.halfOpen = false;
    this.faults.dataFarmBroken = false;
    this.faults.connectivityLost = false;
    this.broker.halted = false;
  }
}
