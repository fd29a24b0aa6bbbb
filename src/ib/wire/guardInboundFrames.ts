import net from 'node:net';
import type { IBApi } from '@stoqey/ib';
import { FrameScanner } from './frameScanner.ts';
import { errorMessage } from '../../shared/errorMessage.ts';

/** Why the guard dropped the connection. */
export interface InboundProtocolError {
  kind: 'bad_frame_length' | 'decoder_failed';
  reason: string;
}

type DataListener = (chunk: Buffer) => void;

/**
 * @stoqey/ib keeps its TCP socket private (IBApi.controller.socket.client). This is the only
 * place that reaches for it; if an upgrade moves it, `guardInboundFrames` says so loudly instead
 * of silently running unguarded (and test/ib/frameGuard.test.ts fails).
 */
export function rawSocketOf(api: IBApi): net.Socket | undefined {
  const socket = (api as unknown as { controller?: { socket?: { client?: unknown } } }).controller?.socket?.client;
  return socket instanceof net.Socket ? socket : undefined;
}

/**
 * Puts a frame check in front of whoever reads the socket: every chunk is scanned for length
 * prefixes before the client's own listeners see it. A negative or oversized prefix, or a
 * listener that throws while decoding, destroys the socket and reports a protocol error; the
 * listeners never see the chunk that carries the offending prefix, nor anything after it. Our own defence, so a @stoqey/ib upgrade that loses
 * patches/@stoqey+ib+*.patch cannot bring back the parse loop that spun on a negative length.
 *
 * Call right after `connect()`, which creates the socket and its listeners synchronously.
 */
export function guardSocketFrames(socket: net.Socket, onError: (error: InboundProtocolError) => void): void {
  const readers = socket.listeners('data') as DataListener[];
  socket.removeAllListeners('data');
  const scanner = new FrameScanner();
  let dropped = false;
  const drop = (error: InboundProtocolError) => {
    if (dropped) return;
    dropped = true;
    socket.destroy();
    onError(error);
  };
  socket.on('data', (chunk: Buffer) => {
    if (dropped) return;
    const violation = scanner.scan(chunk);
    // The chunk is refused whole: frames ahead of the bad prefix come from a stream already out of
    // step, and delivering them first would let them fail the connection for some other reason,
    // hiding the protocol error. What they said is read again after the reconnect (reconciliation).
    if (violation) return drop({ kind: 'bad_frame_length', reason: `bad frame length at byte ${violation.streamOffset}: ${violation.reason}` });
    try {
      for (const read of readers) read.call(socket, chunk);
    } catch (error) {
      // The decoder's state is unknown after a throw: the connection cannot be trusted either.
      drop({ kind: 'decoder_failed', reason: `decoder failed: ${errorMessage(error)}` });
    }
  });
}

/** Guards the socket of a client that has just been told to connect; false when its socket cannot be found. */
export function guardInboundFrames(api: IBApi, onError: (error: InboundProtocolError) => void): boolean {
  const socket = rawSocketOf(api);
  if (!socket) return false;
  guardSocketFrames(socket, onError);
  return true;
}
