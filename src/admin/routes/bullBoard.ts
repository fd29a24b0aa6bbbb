import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';
import type { RuntimeView } from '../runtimeView.ts';
import { apiError } from '../apiError.ts';

export const BULL_BOARD_PATH = '/queues';

/** Bull Board's own page and API: nothing from another host, and no framing. */
const BOARD_CSP = "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; font-src 'self' data:; script-src 'self'; frame-ancestors 'none'";

/** Bull Board's page links a stylesheet of web fonts from another host; dropped, the system fonts stand in. */
const FOREIGN_LINK = /<link\b[^>]*\bhref="(?:https?:)?\/\/[^"]*"[^>]*>/gi;

/**
 * Bull Board at `/queues`: every tradewire queue and dead-letter queue, read-only. Its own retry,
 * clean and pause buttons would change queues past tradewire's audited routes (replays and purges
 * go through `POST /dlq/{queue}/replay|purge`), so every adapter is in read-only mode and anything
 * but a read under `/queues` is refused here as well. Reads pass the same authentication as any
 * read (a session cookie or a bearer token; open on loopback). Its page and assets are served from
 * the package: nothing loads from another host.
 */
export function registerBullBoard(app: FastifyInstance, view: RuntimeView): void {
  const queues = view.boardQueues?.() ?? [];
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: queues.map(({ queue, deadLetterOf }) => new BullMQAdapter(queue, { readOnlyMode: true, ...(deadLetterOf ? { prefix: `${deadLetterOf}:` } : {}) })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'tradewire queues', miscLinks: [] } },
  });
  app.register(async (scope) => {
    scope.addHook('onRequest', async (request, reply) => {
      if (request.method === 'GET' || request.method === 'HEAD') return undefined;
      return reply.code(405).header('allow', 'GET, HEAD').send(apiError('read_only', 'Bull Board is read-only here: replay or purge dead letters with POST /dlq/{queue}/replay or /purge'));
    });
    scope.addHook('onSend', async (_request, reply, payload) => {
      reply.header('content-security-policy', BOARD_CSP).header('x-content-type-options', 'nosniff');
      const type = String(reply.getHeader('content-type') ?? '');
      return type.startsWith('text/html') && typeof payload === 'string' ? payload.replace(FOREIGN_LINK, '') : payload;
    });
    await scope.register(serverAdapter.registerPlugin(), { prefix: BULL_BOARD_PATH });
  });
}
