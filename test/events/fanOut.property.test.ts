import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventFeed } from '../../src/events/eventFeed.ts';
import { createSilentLogger } from '../../src/log/logger.ts';
import { expectEveryEventOnceAndEveryGapAnnounced } from './fanOutChecks.ts';
import { MemoryEventStream } from './memoryEventStream.ts';
import { ClientSessions } from './clientSessions.ts';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

type Step =
  | { kind: 'append'; count: number }
  | { kind: 'trim'; keep: number }
  | { kind: 'block' | 'unblock' | 'reconnect'; client: number }
  | { kind: 'turns'; count: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('append' as const), count: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ kind: fc.constant('trim' as const), keep: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constantFrom('block' as const, 'unblock' as const, 'reconnect' as const), client: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ kind: fc.constant('turns' as const), count: fc.integer({ min: 1, max: 4 }) }),
);

describe('fan-out: ring, Redis catch-up and lost events (a model of the stream)', () => {
  it('for any interleaving of appends, trims, backed-up sockets and resumes, each client gets every retained event once, in order, and hears of every gap (fast-check)', async () => {
    // What the runs went through, so a change that stops exercising a path shows.
    const seen = { lost: 0, redisReads: 0, heldWrites: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 5 }),
        fc.array(stepArb, { minLength: 1, maxLength: 40 }),
        async (ringCapacity, batch, before, steps) => {
          const stream = new MemoryEventStream();
          for (let i = 0; i < before; i += 1) stream.append();
          const feed = new EventFeed(stream, { ringCapacity, batch, logger: createSilentLogger() });
          const clients = [new ClientSessions(feed), new ClientSessions(feed)];
          for (const client of clients) await client.connect();
          for (const step of steps) {
            switch (step.kind) {
              case 'append':
                for (let i = 0; i < step.count; i += 1) stream.append(i % 2 === 0 ? 'order' : 'fill');
                break;
              case 'trim':
                stream.trim(step.keep);
                break;
              case 'block':
                clients[step.client]!.block();
                break;
              case 'unblock':
                clients[step.client]!.unblock();
                break;
              case 'reconnect':
                await clients[step.client]!.disconnect();
                await clients[step.client]!.connect();
                break;
              case 'turns':
                for (let i = 0; i < step.count; i += 1) await turn();
                break;
            }
          }
          // Every socket drains; every client catches up with the stream.
          const head = await stream.head();
          for (const client of clients) client.unblock();
          for (let i = 0; i < 500 && clients.some((client) => client.position !== head || client.holding); i += 1) await turn();
          for (const client of clients) expect(client.position).toBe(head);
          for (const client of clients) await client.disconnect();
          expect(feed.clients).toBe(0);

          const history = new Map(historyOf(stream));
          const retained = new Set(stream.entries.map((entry) => entry.id));
          for (const client of clients) expectEveryEventOnceAndEveryGapAnnounced(client.messages, { start: client.start, history, retained });
          seen.lost += clients.reduce((n, client) => n + client.messages.filter((message) => message.event === 'lost').length, 0);
          seen.redisReads += stream.ranges;
          seen.heldWrites += clients.reduce((n, client) => n + client.heldWrites, 0);
        },
      ),
      { numRuns: 300 },
    );
    expect(seen.lost).toBeGreaterThan(0);
    expect(seen.redisReads).toBeGreaterThan(0);
    expect(seen.heldWrites).toBeGreaterThan(0);
  });

  it('a client that keeps up is served from the ring: Redis is read only by one behind it', async () => {
    const stream = new MemoryEventStream();
    const feed = new EventFeed(stream, { ringCapacity: 100, batch: 10, logger: createSilentLogger() });
    const client = new ClientSessions(feed);
    await client.connect();
    for (let i = 0; i < 50; i += 1) {
      stream.append();
      await turn();
    }
    for (let i = 0; i < 20 && client.position !== (await stream.head()); i += 1) await turn();
    expect(client.position).toBe(await stream.head());
    expect(stream.ranges).toBe(0);
    await client.disconnect();
  });
});

/** Every entry the model ever appended, by id. */
function historyOf(stream: MemoryEventStream): [string, import('../../src/events/eventEntry.ts').EventEntry][] {
  return stream.history.map((entry) => [entry.id, entry]);
}
