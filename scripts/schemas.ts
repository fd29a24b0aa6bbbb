// Writes the JSON Schemas of tradewire's queue contract into schemas/ (`npm run schemas`), from the
// zod schemas the runtime validates with. test/repo/jsonSchemas.test.ts fails when they drift.
import { writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { cancelRequestSchema, modifyRequestSchema, newOrderSchema, orderJobSchema } from '../src/orders/schema/index.ts';
import { commissionJobSchema, fillJobSchema, fillStreamCommissionSchema, fillStreamExecutionSchema } from '../src/orders/schema/fillMessages.ts';
import { orderStateMessageSchema } from '../src/orders/schema/orderStateMessage.ts';

export const SCHEMAS_DIR = fileURLToPath(new URL('../schemas/', import.meta.url));

interface Contract {
  schema: z.ZodType;
  /**
   * `input`: what a producer may send (defaults make fields optional); `output`: what tradewire
   * publishes. Refinements across fields (a LMT order needs limitPrice, ...) cannot be said in JSON
   * Schema: the runtime still checks them and dead-letters a job that breaks one. A Redis Stream
   * entry is published as `input`: its schema decodes the strings Redis keeps into typed values.
   */
  io: 'input' | 'output';
  title: string;
  description: string;
}

const CONTRACTS: Record<string, Contract> = {
  'order-job.json': {
    schema: orderJobSchema,
    io: 'input',
    title: 'orders queue job',
    description: "The data of a job on the BullMQ `orders` queue: a new order (`type` 'new' or absent), a cancel or a modify.",
  },
  'new-order-job.json': { schema: newOrderSchema, io: 'input', title: 'orders queue: new order', description: 'A new order on the `orders` queue.' },
  'cancel-order-job.json': { schema: cancelRequestSchema, io: 'input', title: 'orders queue: cancel', description: 'Cancels the order with this clientOrderId.' },
  'modify-order-job.json': {
    schema: modifyRequestSchema,
    io: 'input',
    title: 'orders queue: modify',
    description: 'Changes a working order; at least one of quantity, limitPrice, stopPrice.',
  },
  'fill-job.json': { schema: fillJobSchema, io: 'output', title: 'fills queue: fill', description: 'A `fill` job tradewire publishes on the `fills` queue.' },
  'commission-job.json': {
    schema: commissionJobSchema,
    io: 'output',
    title: 'fills queue: commission',
    description: 'A `commission` job on the `fills` queue: a commission that arrived after its fill was published.',
  },
  'fill-stream-entry.json': {
    schema: fillStreamExecutionSchema,
    io: 'input',
    title: 'fills stream: fill entry',
    description:
      'One execution appended to the Redis Stream `<namespace>:stream:fills` (`type` `fill`), once per execId. Every field is a string, as Redis keeps it; numbers are their decimal text.',
  },
  'commission-stream-entry.json': {
    schema: fillStreamCommissionSchema,
    io: 'input',
    title: 'fills stream: commission entry',
    description: 'A commission appended to `<namespace>:stream:fills` (`type` `commission`) when it was not known as its execution was appended. Join it to the fill entry on execId.',
  },
  'order-state-event.json': {
    schema: orderStateMessageSchema,
    io: 'output',
    title: 'event bus: order state',
    description: 'The message published on the event bus as `order.<state>` for every written transition of an order (the admin API streams it as the `order` event).',
  },
};

/** File name → the file's exact text. */
export function jsonSchemaFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const [file, { schema, io, title, description }] of Object.entries(CONTRACTS)) {
    const { $schema, ...body } = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'throw' });
    files.set(file, `${JSON.stringify({ $schema, title, description, ...body }, null, 2)}\n`);
  }
  return files;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  mkdirSync(SCHEMAS_DIR, { recursive: true });
  for (const [file, text] of jsonSchemaFiles()) writeFileSync(`${SCHEMAS_DIR}${file}`, text);
  console.log(`wrote ${jsonSchemaFiles().size} schemas to schemas/`);
}
