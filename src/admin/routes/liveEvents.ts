import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Logger } from '../../log/logger.ts';
import { canonicalStreamId, EventStreamClient, LIVE_EVENT_TYPES, sseMessageSchema, type Every, type LiveEventType } from '../../events/index.ts';
import type { RuntimeView } from '../runtimeView.ts';
import { apiError } from '../apiError.ts';
import { openSseResponse } from '../sseResponse.ts';
import { routeDocs } from '../schemas/routeDocs.ts';
import { errorResponses } from '../schemas/routeResponses.ts';

const TYPE_LIST = LIVE_EVENT_TYPES.join(', ');

/** `?types=order,fill` (or repeated): the event types to send; absent, all of them. */
const typesParam = z
  .union([z.string(), z.array(z.string())])
  .transform((value, ctx): ReadonlySet<LiveEventType> | typeof z.NEVER => {
    const names = (Array.isArray(value) ? value : [value]).flatMap((part) => part.split(',')).map((name) => name.trim()).filter((name) => name !== '');
    const unknown = names.filter((name) => !(LIVE_EVENT_TYPES as string[]).includes(name));
    if (names.length === 0 || unknown.length > 0) {
      const what = names.length === 0 ? 'names no event type' : `unknown event type${unknown.length > 1 ? 's' : ''} ${unknown.map((name) => JSON.stringify(name)).join(', ')}`;
      ctx.addIssue({ code: 'custom', message: `${what}; one or more of ${TYPE_LIST}, comma-separated` });
      return z.NEVER;
    }
    return new Set(names as LiveEventType[]);
  })
  .describe(`comma-separated event types to receive (${TYPE_LIST}); absent: all. \`lost\` is always sent`);

/** A resume point: an `id:` the stream sent. */
const eventIdParam = z
  .string()
  .transform((value, ctx) => {
    const id = canonicalStreamId(value.trim());
    if (id === null) ctx.addIssue({ code: 'custom', message: `must be an event id as the stream sends it in "id:" (<ms>-<seq>, e.g. 1765008000000-0); got ${JSON.stringify(value.slice(0, 40))}` });
    return id ?? z.NEVER;
  });

const liveEventsQuery = z.strictObject({
  types: typesParam.optional(),
  lastEventId: eventIdParam.optional().describe('resume after this event (as the Last-Event-ID header; the header wins when both are sent)'),
});

const liveEventsHeaders = z.looseObject({
  'last-event-id': eventIdParam.optional().describe('resume after this event: what an EventSource sends when it reconnects'),
});

const DESCRIPTION = `Every live event of the namespace, from any node (active or standby). Each message is \`id: <stream id>\`, \`event: <type>\`, \`data: <one-line JSON>\` (schemas below); a \`: keepalive\` comment comes every \`events.keepaliveMs\` (15 s) on an idle stream. Resume with \`Last-Event-ID\` (or \`?lastEventId=\`): the stream continues after that event, each retained event exactly once. When events after it are no longer retained (the window is the last \`events.retention.maxLen\` events), or the client fell that far behind, a \`lost\` event (no id) comes first and the stream continues from the oldest retained event: never a silent skip.`;

export interface LiveEventsRouteOptions {
  /** The keepalive timer (tests pass their own clock). */
  every?: Every;
}

/**
 * `GET /events`: the namespace's live events as Server-Sent Events. Each connection is one
 * EventStreamClient over the node's shared feed; the server's close ends every open stream first,
 * so it never waits on them.
 */
export function registerLiveEventsRoute(app: FastifyInstance, view: RuntimeView, logger: Logger, options: LiveEventsRouteOptions = {}): void {
  const open = new Set<EventStreamClient>();
  app.addHook('preClose', async () => {
    const clients = [...open];
    for (const client of clients) client.close();
    await Promise.all(clients.map((client) => client.done));
  });

  app.withTypeProvider<ZodTypeProvider>().get(
    '/events',
    {
      exposeHeadRoute: false,
      schema: {
        ...routeDocs({ tag: 'events', summary: 'Live events as Server-Sent Events', description: DESCRIPTION, access: 'read' }),
        querystring: liveEventsQuery,
        headers: liveEventsHeaders,
        response: {
          200: { description: 'A text/event-stream, open until the client or the server closes it', content: { 'text/event-stream': { schema: sseMessageSchema } } },
          ...errorResponses({
            access: 'read',
            redis: true,
            codes: {
              400: {
                invalid_query: 'an unknown event type in `types`, a malformed `lastEventId`, or an unknown parameter: `fields` names each one',
                invalid_header: 'a malformed `Last-Event-ID`',
              },
              503: { events_unavailable: 'this process keeps no live event stream' },
            },
          }),
        },
      },
    },
    async (request, reply) => {
      const live = view.liveEvents;
      if (!live) return reply.code(503).send(apiError('events_unavailable', 'this process keeps no live event stream'));
      const resumeFrom = request.headers['last-event-id'] ?? request.query.lastEventId ?? null;
      // Fails before anything is sent when Redis is away: the error handler answers 503 redis_unavailable.
      const release = await live.feed.acquire();
      const raw = openSseResponse(request, reply);
      const client = new EventStreamClient({
        source: live.feed,
        sink: raw,
        position: resumeFrom ?? live.feed.position,
        resumed: resumeFrom !== null,
        types: request.query.types ?? null,
        keepaliveMs: live.keepaliveMs,
        ...(options.every ? { every: options.every } : {}),
        logger,
      });
      open.add(client);
      raw.on('close', () => client.close());
      void client.done.finally(() => {
        open.delete(client);
        release();
        if (!raw.writableEnded) raw.end();
      });
      logger.debug('live events client connected', { requestId: request.id, resumeFrom, types: request.query.types ? [...request.query.types] : 'all', clients: open.size });
    },
  );
}
