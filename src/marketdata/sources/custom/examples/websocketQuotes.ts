/**
 * Example custom market-data source: a vendor WebSocket feed, in one file. Copy it, change the
 * message schema and the subscribe message to your vendor's, compile it to JavaScript (tradewire
 * runs compiled code; this one is built to dist/.../examples/websocketQuotes.js), and point a source at it:
 *
 *   { "kind": "custom", "id": "vendor", "module": "./adapters/websocketQuotes.js",
 *     "instruments": ["ES", "NQ"], "options": { "url": "wss://feed.example.com/quotes" } }
 *
 * The feed is expected to send JSON messages like
 *   {"symbol":"ES","bid":5900.25,"ask":5900.5,"last":5900.25,"ts":1717425000000}
 * The runtime does the rest: the start runs through the source's circuit breaker and subscribe
 * timeout, silence makes the source stale, a closed socket fails it and the supervisor restarts it.
 */
import WebSocket from 'ws';
import { z } from 'zod';
import type { MarketDataSource, SourceFactory } from '../../marketDataSource.ts';

const optionsSchema = z.object({ url: z.url() });

const quoteSchema = z.object({
  symbol: z.string(),
  bid: z.number().optional(),
  ask: z.number().optional(),
  last: z.number().optional(),
  /** Epoch ms; the vendor's own time of the price. */
  ts: z.number(),
});

const createSource: SourceFactory = ({ options }): MarketDataSource => {
  const { url } = optionsSchema.parse(options);
  let socket: WebSocket | null = null;
  let badMessages = 0;
  let lastBadMessage: string | null = null;

  return {
    start(ctx) {
      return new Promise<void>((resolve, reject) => {
        const ws = new WebSocket(url);
        socket = ws;
        ws.on('error', (error) => reject(error)); // before 'open' this fails the start; after it, 'close' follows
        ws.once('open', () => {
          ws.send(JSON.stringify({ subscribe: ctx.instruments }));
          resolve();
        });
        ws.on('message', (data) => {
          let parsed;
          try {
            parsed = quoteSchema.safeParse(JSON.parse(String(data)));
          } catch {
            parsed = null;
          }
          if (!parsed?.success) {
            badMessages += 1;
            lastBadMessage = String(data).slice(0, 80);
            return;
          }
          const quote = parsed.data;
          // An unknown symbol gives -1, which the writer counts as a rejected tick.
          ctx.ticks.quote(ctx.index.indexOf(quote.symbol), quote.bid ?? Number.NaN, quote.ask ?? Number.NaN, quote.last ?? Number.NaN, quote.ts);
        });
        ws.on('close', (code) => {
          if (!ctx.signal.aborted) ctx.fail(new Error(`feed closed the socket (${code})`));
        });
      });
    },
    stop() {
      socket?.removeAllListeners('close');
      socket?.terminate();
      socket = null;
    },
    describe() {
      return { url, badMessages, lastBadMessage };
    },
  };
};

export default createSource;
