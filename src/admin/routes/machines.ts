import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { catalogMachines, drawCatalogMachine, isCatalogMachine } from '../../statechart/catalogDrawings.ts';
import { DRAWING_FORMATS } from '../../statechart/drawMachine.ts';
import { issueMessages } from '../../shared/zodIssues.ts';
import { apiError } from '../apiError.ts';
import { checkedByHandler, RequestValidationError, requestFieldErrors, validationErrorBody } from '../requestValidation.ts';
import { answer, errorResponses } from '../schemas/routeResponses.ts';
import { routeDocs } from '../schemas/routeDocs.ts';

const machinesSchema = z.object({
  machines: z.array(
    z.object({
      name: z.string().describe('What `GET /machines/{name}/graph` and `tradewire graph` take'),
      kinds: z.array(z.string()).describe('The `kind`s of the `/actors` nodes that run this machine (none for a machine that runs inside another actor)'),
    }),
  ),
});

const point = z.object({ x: z.number(), y: z.number() });
const sectionSchema = z.object({ startPoint: point, endPoint: point, bendPoints: z.array(point) });

const machineLayoutSchema = z
  .object({
    name: z.string(),
    width: z.number(),
    height: z.number(),
    nodes: z
      .array(
        z.object({
          id: z.string().describe('The id path: the machine id and the keys down to the state (`order.working`)'),
          key: z.string(),
          label: z.string(),
          type: z.enum(['atomic', 'compound', 'parallel', 'final', 'history']),
          parent: z.string().nullable().describe('The parent state’s id; null for the machine itself'),
          initial: z.boolean().describe('The state its compound parent enters first'),
          history: z.enum(['shallow', 'deep']).nullable().describe('A history state’s depth'),
          x: z.number(),
          y: z.number(),
          width: z.number(),
          height: z.number(),
        }),
      )
      .describe('Parents before their children: a child’s box lies inside its parent’s'),
    edges: z
      .array(
        z.object({
          id: z.string(),
          transition: z.string().describe('The transition drawn (`<source>#<index>`): one edge per target'),
          source: z.string(),
          target: z.string(),
          event: z.string().describe('As a reader names it: `redis.up`, `always`, `after 1000ms`, `done: submit`'),
          guard: z.string().nullable().describe('`fillCompletes`, `a && !b`; `guard` for an inline function'),
          sections: z.array(sectionSchema).describe('The arrow; empty for a transition without target, written inside its source’s box'),
          labelPos: point.describe('The centre of the label `EVENT [guard]`'),
        }),
      )
      .describe('One per target of every transition'),
    initialMarks: z
      .array(z.object({ state: z.string(), center: point, radius: z.number(), sections: z.array(sectionSchema) }))
      .describe('The dot and arrow into each initial state'),
  })
  .meta({ id: 'MachineLayout', description: 'A machine laid out: every coordinate absolute, from the top left corner of the drawing.' });

const params = z.object({ name: z.string().describe('A machine of `GET /machines`, e.g. `order`') });
const querystring = z.object({
  format: z
    .enum(DRAWING_FORMATS, { error: `must be one of ${DRAWING_FORMATS.join(', ')}` })
    .default('json')
    .describe('`json` the laid-out graph, `svg` the drawing, `mermaid` a stateDiagram-v2'),
});

const CONTENT_TYPES = { svg: 'image/svg+xml; charset=utf-8', mermaid: 'text/plain; charset=utf-8' } as const;

type GraphRoute = { Params: { name: string }; Querystring: Record<string, unknown> };

/**
 * `GET /machines` and `GET /machines/:name/graph`: every machine tradewire runs, drawn from its
 * definition (what the operator console shows with the current state, and `tradewire graph`
 * writes). Layouts are computed once per machine and format for the process.
 */
export default async function machineRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/machines',
    {
      schema: {
        ...routeDocs({ tag: 'runtime', summary: 'The machines', description: 'Every machine tradewire ships, with the kinds of the actors that run it.', access: 'read' }),
        response: { 200: answer('The catalogue of machines', machinesSchema), ...errorResponses({ access: 'read' }) },
      },
    },
    async () => ({ machines: catalogMachines() }),
  );

  app.get<GraphRoute>(
    '/machines/:name/graph',
    {
      // An unknown machine is a 404 whatever the query: the handler checks the name first.
      validatorCompiler: checkedByHandler,
      schema: {
        ...routeDocs({
          tag: 'runtime',
          summary: 'A machine’s drawing',
          description:
            'States (nesting, parallel regions, initial, final and history states) and transitions with their events and guards, from the machine’s definition. `svg` is a standalone image: each state a `<g class="state" data-state-id>`, each transition a `<g class="transition" data-event>`.',
          access: 'read',
        }),
        params,
        querystring,
        response: {
          200: {
            description: 'The drawing in the format asked for',
            content: {
              'application/json': { schema: machineLayoutSchema },
              'image/svg+xml': { schema: z.string().describe('A standalone SVG document') },
              'text/plain': { schema: z.string().describe('A mermaid `stateDiagram-v2`') },
            },
          },
          ...errorResponses({
            access: 'read',
            codes: {
              400: { invalid_query: '`format` is not one of json, svg, mermaid' },
              404: { unknown_machine: 'no machine of that name (the message lists those there are)' },
            },
          }),
        },
      },
    },
    async (request, reply) => {
      const { name } = request.params;
      if (!isCatalogMachine(name)) {
        const known = catalogMachines().map((machine) => machine.name);
        return reply.code(404).send(apiError('unknown_machine', `no machine ${JSON.stringify(name)}; known machines: ${known.join(', ')}`));
      }
      const query = querystring.safeParse(request.query, { error: issueMessages });
      if (!query.success) return reply.code(400).send(validationErrorBody(new RequestValidationError('querystring', requestFieldErrors(query.error.issues, 'querystring'))));
      const drawing = await drawCatalogMachine(name, query.data.format);
      if (drawing.format === 'json') return reply.send(drawing.layout);
      return reply.type(CONTENT_TYPES[drawing.format]).send(drawing.text);
    },
  );
}
