import net from 'node:net';
import { fromPromise } from 'xstate';
import type { Gateway } from '../../machines/ib/ibConnectionTypes.ts';

/** Resolves if a TCP connection to the gateway opens within the timeout (the primary is back). */
export function gatewayProbeActor(timeoutMs = 1_000) {
  return fromPromise<void, Gateway>(
    ({ input, signal }) =>
      new Promise<void>((resolve, reject) => {
        const socket = net.connect({ host: input.host, port: input.port });
        const done = (error?: Error) => {
          clearTimeout(timer);
          socket.destroy();
          if (error) reject(error);
          else resolve();
        };
        const timer = setTimeout(() => done(new Error('probe timed out')), timeoutMs);
        socket.once('connect', () => done());
        socket.once('error', (error) => done(error));
        signal.addEventListener('abort', () => done(new Error('probe aborted')));
      }),
  );
}
