import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Logger } from '../../log/logger.ts';
import { everyInterval, type Every } from '../../shared/every.ts';
import type { ActorFeedEvent, RuntimeView } from '../runtimeView.ts';
import { apiError } from '../apiError.ts';
import { openSseResponse } from '../sseResponse.ts';
import { actorNodeSchema } from '../schemas/actorNodeSchema.ts';
import { supervisionEventSchema } from '../schemas/actorStreamViews.ts';
import { routeDocs } from '../schemas/routeDocs.ts';
import { errorResponses } from '../schemas/routeResponses.ts';

const actorStreamMessageSchema = z
  .union([
    z.object({ event: z.literal('tree'), data: actorNodeSchema }).describe('the whole tree, as `GET /actors` answers it'),
    z.object({ event: z.literal('supervision'), data: supervisionEventSchema }),
  ])
  .describe('one message of the text/event-stream (`event:`, `data:` one line of JSON); `: keepalive` comment lines come between them');

const DESCRIPTION =
  'The supervision tree as it changes, on this node: `event: tree` with the whole tree (as `GET /actors`) once on connect and after every change, at most one per 100 ms (changes in between are coalesced); `event: supervision` for each restart, escalation, stop and start a supervisor carries out. A `: keepalive` comment comes on an idle stream. Nothing is replayed on reconnect: the first message is the tree as it is then.';

/** A client this far behind is dropped rather than buffered for: its EventSource reconnects and gets the tree afresh. */
const MAX_BUFFERED_BYTES = 1 << 20;
const DEFAULT_KEEPALIVE_MS = 15_000;

export interface ActorStreamRouteOptions {
  /** The keepalive timer (tests pass their own). */
  every?: Every;
}

/** Each feed event's frame, written once however many clients hear it (a tree is the costly part). */
const frames = new WeakMap<ActorFeedEvent, string>();
const messageOf = (event: ActorFeedEvent): string => {
  let frame = frames.get(event);
  if (frame === undefined) {
    frame = event.type === 'tree' ? `event: tree\ndata: ${JSON.stringify(event.tree)}\n\n` : `event: supervision\ndata: ${JSON.stringify(event.event)}\n\n`;
    frames.set(event, frame);
  }
  return frame;
};

/**
 * `GET /actors/stream`: the console's live actor tree and supervision feed as Server-Sent Events.
 * Each connection subscribes to the node's actor feed; the server's close ends every open stream
 * first, so it never waits on them.
 */
export function registerActorStreamRoute(app: FastifyInstance, view: RuntimeView, logger: Logger, options: ActorStreamRouteOptions = {}): void {
  const every = options.every ?? everyInterval;
  const open = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const raw of open) raw.end();
  });

  app.get(
    '/actors/stream',
    {
      exposeHeadRoute: false,
      schema: {
        ...routeDocs({ tag: 'runtime', summary: 'The actor tree and supervision feed as Server-Sent Events', description: DESCRIPTION, access: 'read' }),
        response: {
          200: { description: 'A text/event-stream, open until the client or the server closes it', content: { 'text/event-stream': { schema: actorStreamMessageSchema } } },
          ...errorResponses({ access: 'read', codes: { 503: { actor_stream_unavailable: 'this process keeps no actor feed' } } }),
        },
      },
    },
    async (request, reply) => {
      const feed = view.actorFeed;
      if (!feed) return reply.code(503).send(apiError('actor_stream_unavailable', 'this process keeps no actor feed'));
      const raw = openSseResponse(request, reply);
      open.add(raw);
      const send = (text: string) => {
        if (raw.writableEnded) return;
        if (raw.writableLength > MAX_BUFFERED_BYTES) {
          logger.warn('actor stream client too far behind: dropped', { requestId: request.id });
          raw.end();
          return;
        }
        raw.write(text);
      };
      send(messageOf({ type: 'tree', tree: view.actorTree() }));
      const unsubscribe = feed.subscribe((event) => send(messageOf(event)));
      const stopKeepalive = every(() => send(': keepalive\n\n'), view.liveEvents?.keepaliveMs ?? DEFAULT_KEEPALIVE_MS);
      raw.on('close', () => {
        unsubscribe();
        stopKeepalive();
        open.delete(raw);
      });
      logger.debug('actor stream client connected', { requestId: request.id, clients: open.size });
    },
  );
}
