import { describe, expect, it } from 'vitest';
import { EventFeed } from '../../src/events/eventFeed.ts';
import { EventStreamClient } from '../../src/events/eventStreamClient.ts';
import type { Every } from '../../src/shared/every.ts';
import { createSilentLogger } from '../../src/log/logger.ts';
import { waitUntil } from '../support/waitUntil.ts';
import { MemoryEventStream } from './memoryEventStream.ts';
import { parseSse } from './sseText.ts';
import { TestSink } from './testSink.ts';

/** A keepalive clock the test turns by hand. */
function handClock() {
  const ticks: (() => void)[] = [];
  let cancelled = 0;
  const every: Every = (tick, ms) => {
    expect(ms).toBe(15_000);
    ticks.push(tick);
    return () => (cancelled += 1);
  };
  return { every, tick: () => ticks.forEach((tick) => tick()), cancelled: () => cancelled };
}

async function world(options: { types?: string[]; highWaterMark?: number } = {}) {
  const stream = new MemoryEventStream();
  const feed = new EventFeed(stream, { logger: createSilentLogger() });
  const release = await feed.acquire();
  const sink = new TestSink(options.highWaterMark);
  const clock = handClock();
  const client = new EventStreamClient({
    source: feed,
    sink,
    position: feed.position,
    resumed: false,
    types: options.types ? new Set(options.types) : null,
    keepaliveMs: 15_000,
    every: clock.every,
    logger: createSilentLogger(),
  });
  const close = async () => {
    client.close();
    await client.done;
    release();
  };
  return { stream, feed, sink, clock, client, close };
}

describe('one SSE client', () => {
  it('writes each event as id / event / data, and a keepalive comment on each tick of its clock', async () => {
    const { stream, sink, clock, client, close } = await world();
    const first = stream.append('order');
    await waitUntil(() => client.position === first.id, 'delivered');
    clock.tick();
    expect(sink.text).toBe(`id: ${first.id}\nevent: order\ndata: ${first.data}\n\n: keepalive\n\n`);
    await close();
    expect(clock.cancelled()).toBe(1);
  });

  it('sends only the types asked for; its keepalive moves the Last-Event-ID past the ones it skipped', async () => {
    const { stream, sink, clock, client, close } = await world({ types: ['halt'] });
    const halt = stream.append('halt');
    stream.append('order');
    const last = stream.append('fill');
    await waitUntil(() => client.position === last.id, 'read past every entry');
    expect(parseSse(sink.text).messages.map((m) => m.id)).toEqual([halt.id]);
    clock.tick();
    const parsed = parseSse(sink.text);
    expect(parsed.messages).toHaveLength(1);
    expect(parsed.lastEventId).toBe(last.id);
    // Nothing new since: a plain comment.
    clock.tick();
    expect(sink.text.endsWith(`id: ${last.id}\n\n: keepalive\n\n`)).toBe(true);
    await close();
  });

  it('holds at most about one chunk for a socket that does not drain, then carries on where it stopped', async () => {
    const { stream, sink, clock, client, close } = await world({ highWaterMark: 1_024 });
    sink.block();
    for (let i = 0; i < 20_000; i += 1) stream.append('order');
    await waitUntil(() => sink.holding && sink.writableNeedDrain, 'the socket backs up');
    // 20,000 events are about 1.5 MB; the client stopped reading after filling the socket's buffer.
    expect(sink.writableLength).toBeLessThan(40 * 1_024);
    clock.tick();
    expect(sink.writableLength).toBeLessThan(40 * 1_024);
    sink.unblock();
    const head = await stream.head();
    await waitUntil(() => client.position === head && !sink.writableNeedDrain, 'caught up', 30_000);
    const ids = parseSse(sink.text).messages.map((m) => m.id);
    expect(ids).toEqual(stream.history.map((entry) => entry.id));
    await close();
  });

  it('stops writing and reading once closed, and lets the feed go', async () => {
    const { stream, sink, feed, client, close } = await world();
    stream.append();
    await close();
    const before = sink.text;
    stream.append();
    await new Promise((resolve) => setImmediate(resolve));
    expect(sink.text).toBe(before);
    expect(client.position).not.toBe(await stream.head());
    expect(feed.clients).toBe(0);
  });
});
