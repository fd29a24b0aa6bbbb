import type { Socket } from 'node:net';
import { ERR, MSG } from '../protocol/errorCodes.ts';
import type { LiveBar } from '../market/liveBar.ts';
import type { Instrument } from '../../instruments/instruments.ts';
import { FieldReader, TruncatedMessageError } from '../protocol/fieldReader.ts';
import { FrameDecoder } from '../protocol/frameDecoder.ts';
import { FrameWriter } from '../protocol/frameWriter.ts';
import { API_PREFIX, formatTwsDateTime, negotiateVersion } from '../protocol/handshake.ts';
import { IN, KNOWN_CLIENT_MESSAGE_IDS } from '../protocol/messageIds.ts';
import { writeError, writeManagedAccounts, writeNextValidId, writeServerVersion } from '../protocol/outgoing/system.ts';
import type { SimContext } from './context.ts';
import { AccountStreams } from './handlers/accountStreams.ts';
import { answerUnmodelledRequest } from './handlers/unmodelled.ts';
import { recordRefusedBeforeDispatch } from './orderMessages.ts';
import { PacingGuard } from './pacing.ts';

export type SessionState = 'handshake' | 'awaitingStartApi' | 'ready' | 'closed';

export type RequestDispatcher = (session: Session, messageId: number, reader: FieldReader) => boolean;

/** "v100..193" plus connect options is a few dozen bytes; anything this large is not a handshake. */
const MAX_HANDSHAKE_BYTES = 4096;
/** Protocol warnings logged per connection before going quiet (a hostile client must not flood the log). */
const MAX_PROTOCOL_WARNINGS = 10;

/**
 * One client connection: handshake, framing, pacing and buffered output. Requests are handed to
 * the dispatcher; everything the session writes goes out in one socket write per event-loop turn.
 */
export class Session {
  /** Assigned by the simulator's connection ledger. */
  readonly connectionId: number;
  readonly out = new FrameWriter();
  /** Peer address, captured up front (a destroyed socket no longer knows it). */
  readonly remote: string;
  state: SessionState = 'handshake';
  serverVersion = 0;
  clientId = -1;
  /** Market data subscriptions: ticker id -> the contract. */
  readonly marketData = new Map<number, Instrument>();
  /** keepUpToDate historical-data requests: request id -> bar in progress. */
  readonly liveBars = new Map<number, LiveBar>();
  positionsSubscribed = false;
  accountUpdatesFor: string | undefined;
  /** Account-data streams (PnL, positions/account multi) and the market data type asked for. */
  readonly accountStreams = new AccountStreams();
  private readonly frames: FrameDecoder;
  private prefix = Buffer.alloc(0);
  private readonly pacing: PacingGuard | undefined;
  private flushScheduled = false;
  private protocolWarnings = 0;
  /** Why the connection ended, for the single disconnect log line. */
  closeReason = 'closed by the client';
  private lastReleaseAt = 0;
  private onClosed: ((session: Session) => void) | undefined;

  constructor(
    readonly socket: Socket,
    private readonly ctx: SimContext,
    private readonly dispatch: RequestDispatcher,
  ) {
    this.remote = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    this.connectionId = ctx.connections.open(socket.remoteAddress ?? '?', socket.remotePort ?? 0);
    this.frames = new FrameDecoder(MAX_HANDSHAKE_BYTES);
    const pacing = ctx.config.pacing;
    this.pacing = pacing.enabled ? new PacingGuard(pacing.maxMessagesPerSecond) : undefined;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.log('debug', 'socket error', { error: error.message }));
    // The TWS protocol has no half-close: a client that ends its side is gone, and its client id is free.
    socket.on('end', () => this.markClosed());
    socket.on('close', () => this.markClosed());
  }


  whenClosed(callback: (session: Session) => void): void {
    this.onClosed = callback;
  }

  /** Queues output; a microtask writes everything queued in this turn as one buffer. */
  flushSoon(): void {
    if (this.flushScheduled || this.state === 'closed') return;
    this.flushScheduled = true;
    queueMicrotask(() => this.flush());
  }

  /** Writes queued output now (honouring the delay and half-open faults). */
  flush(): void {
    this.flushScheduled = false;
    if (this.state === 'closed') return this.out.discard();
    if (this.ctx.faults.halfOpen) return this.out.discard();
    const data = this.out.take();
    if (!data) return;
    const delay = this.ctx.faults.delayMs;
    // Real time, not the injectable clock: the delay fault is about wall-clock latency.
    const now = performance.now();
    if (delay <= 0 && this.lastReleaseAt <= now) {
      this.socket.write(data);
      return;
    }
    // Later writes must never overtake earlier delayed ones, even if the delay shrinks.
    const releaseAt = Math.max(now + delay, this.lastReleaseAt);
    this.lastReleaseAt = releaseAt;
    setTimeout(() => {
      if (this.state !== 'closed') this.socket.write(data);
    }, releaseAt - now).unref();
  }

  /** Sends an error/info message (id -1 = system message) and schedules a flush. */
  sendError(id: number, code: number, message: string): void {
    writeError(this.out, this.serverVersion, id, code, message);
    this.flushSoon();
  }

  /** Socket backlog: market data is dropped for clients this far behind. */
  get backlogBytes(): number {
    return this.socket.writableLength + this.out.size;
  }

  /** Flushes what is queued, then closes the socket gracefully. */
  end(reason: string): void {
    if (this.state === 'closed') return;
    this.closeReason = reason;
    this.flush();
    this.markClosed();
    this.socket.end();
    this.socket.destroySoon?.();
  }

  /** Drops the connection immediately (a reset, as on a crash). */
  destroy(reason: string): void {
    if (this.state === 'closed') return;
    this.closeReason = reason;
    this.markClosed();
    this.socket.destroy();
  }

  private markClosed(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    // The client id is free from here on: the next startApi with it is accepted.
    this.ctx.connections.closed(this.connectionId, this.closeReason);
    this.out.discard();
    this.marketData.clear();
    this.liveBars.clear();
    this.accountStreams.clear();
    this.onClosed?.(this);
  }

  private onData(chunk: Buffer): void {
    if (this.state === 'closed' || this.ctx.faults.halfOpen) return;
    let data = chunk;
    if (this.state === 'handshake' && this.prefix.length < API_PREFIX.length) {
      const needed = API_PREFIX.length - this.prefix.length;
      this.prefix = Buffer.concat([this.prefix, data.subarray(0, needed)]);
      data = data.subarray(needed);
      if (!API_PREFIX.subarray(0, this.prefix.length).equals(this.prefix)) {
        return this.rejectHandshake(`garbled handshake: expected "API\\0", got ${JSON.stringify(this.prefix.toString('latin1'))}`);
      }
      if (this.prefix.length < API_PREFIX.length) return;
    }
    try {
      const result = this.frames.feed(data, (payload) => this.onFrame(payload));
      if (!result.ok) {
        if (this.state === 'handshake') return this.rejectHandshake(`garbled handshake: ${result.reason}`);
        return this.destroy(`rejected frame: ${result.reason}`);
      }
    } catch (error) {
      // A handler bug must cost this client its connection, never the server.
      this.log('error', 'request handling failed', { error: (error as Error).stack ?? String(error) });
      this.destroy('internal error while handling a request');
      return;
    }
    this.flushSoon();
  }

  private onFrame(payload: Buffer): void {
    if (this.state === 'closed') return;
    if (this.state === 'handshake') return this.onVersionFrame(payload);
    const reader = new FieldReader(payload);
    let messageId: number;
    try {
      messageId = reader.int('message id');
    } catch {
      if (this.state === 'awaitingStartApi') return this.destroy('garbage instead of startApi after the handshake');
      return this.unknownMessage(payload.toString('latin1', 0, Math.min(payload.length, 20)).split('\0')[0] ?? '');
    }
    if (this.state === 'awaitingStartApi') return this.onStartApi(messageId, reader);
    if (this.pacing && !this.pacing.admit(this.ctx.clock.now())) return this.onPacingViolation(messageId, reader);
    try {
      const handled = this.dispatch(this, messageId, reader);
      if (!handled) {
        if (KNOWN_CLIENT_MESSAGE_IDS.has(messageId)) answerUnmodelledRequest(this, messageId, reader);
        else this.unknownMessage(String(messageId));
      }
    } catch (error) {
      if (!(error instanceof TruncatedMessageError)) throw error;
      this.protocolWarning('malformed request', { messageId, error: error.message });
      this.sendError(-1, ERR.ERROR_READING_REQUEST, MSG.errorReadingRequest(`message id ${messageId}: ${error.message}`));
    }
  }

  private onVersionFrame(payload: Buffer): void {
    const outcome = negotiateVersion(payload.toString('latin1'), this.ctx.config.serverVersionRange);
    if (!outcome.ok) return this.rejectHandshake(outcome.reason);
    this.serverVersion = outcome.serverVersion;
    this.state = 'awaitingStartApi';
    this.frames.maxFrameBytes = this.ctx.config.maxFrameBytes;
    writeServerVersion(this.out, this.serverVersion, formatTwsDateTime(this.ctx.clock.now()));
    this.flushSoon();
  }

  private onStartApi(messageId: number, reader: FieldReader): void {
    if (messageId !== IN.START_API) return this.destroy(`expected startApi (71) after the handshake, got message id ${messageId}`);
    let clientId: number;
    try {
      reader.int('version');
      clientId = reader.int('clientId');
    } catch (error) {
      return this.destroy(`malformed startApi: ${(error as Error).message}`);
    }
    this.clientId = clientId;
    const holder = this.ctx.readySessions.get(clientId);
    if (holder && holder.state === 'ready') {
      this.log('warn', 'handshake rejected', { reason: 'client id in use', clientId });
      this.ctx.connections.started(this.connectionId, clientId, this.serverVersion, ERR.CLIENT_ID_IN_USE);
      writeError(this.out, this.serverVersion, -1, ERR.CLIENT_ID_IN_USE, MSG.clientIdInUse);
      return this.end('client id in use');
    }
    this.ctx.connections.started(this.connectionId, clientId, this.serverVersion);
    this.state = 'ready';
    this.ctx.readySessions.set(clientId, this);
    this.log('info', 'client connected', { clientId, serverVersion: this.serverVersion });
    writeManagedAccounts(this.out, this.ctx.accountIds);
    writeNextValidId(this.out, this.ctx.broker.nextValidId(clientId));
    writeError(this.out, this.serverVersion, -1, ERR.MARKET_DATA_FARM_OK, MSG.marketDataFarmOk);
    writeError(this.out, this.serverVersion, -1, ERR.HMDS_FARM_OK, MSG.hmdsFarmOk);
    writeError(this.out, this.serverVersion, -1, ERR.SECDEF_FARM_OK, MSG.secDefFarmOk);
    if (this.ctx.faults.dataFarmBroken) {
      writeError(this.out, this.serverVersion, -1, ERR.MARKET_DATA_FARM_BROKEN, MSG.marketDataFarmBroken);
    }
    this.flushSoon();
  }

  private onPacingViolation(messageId: number, reader: FieldReader): void {
    const pacing = this.pacing as PacingGuard;
    const { maxMessagesPerSecond: max, disconnectAfterViolations } = this.ctx.config.pacing;
    const received = pacing.receivedInLastSecond(this.ctx.clock.now());
    if (pacing.violations === 1 || pacing.violations % 100 === 0) {
      this.log('warn', 'pacing violation', { clientId: this.clientId, max, received, violations: pacing.violations });
    }
    const message = MSG.maxRateExceeded(max, received, pacing.violations);
    recordRefusedBeforeDispatch(this.ctx, this, messageId, reader, ERR.MAX_RATE_EXCEEDED, message);
    this.sendError(-1, ERR.MAX_RATE_EXCEEDED, message);
    if (disconnectAfterViolations !== undefined && pacing.violations >= disconnectAfterViolations) {
      this.end(`pacing: ${pacing.violations} violations`);
    }
  }

  private unknownMessage(rawId: string): void {
    this.protocolWarning('unknown message id', { clientId: this.clientId, messageId: rawId.slice(0, 20) });
    this.sendError(-1, ERR.UNKNOWN_MESSAGE_ID, MSG.unknownMessageId);
  }

  private protocolWarning(message: string, fields: Record<string, unknown>): void {
    this.protocolWarnings++;
    if (this.protocolWarnings <= MAX_PROTOCOL_WARNINGS) this.log('warn', message, fields);
    if (this.protocolWarnings === MAX_PROTOCOL_WARNINGS) this.log('warn', 'further protocol warnings for this connection suppressed');
  }

  private rejectHandshake(reason: string): void {
    this.log('warn', 'handshake rejected', { reason });
    this.destroy('handshake rejected');
  }

  private log(level: 'debug' | 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown> = {}): void {
    this.ctx.logger.log(level, message, { component: 'sim', connection: this.connectionId, remote: this.remote, ...fields });
  }
}
