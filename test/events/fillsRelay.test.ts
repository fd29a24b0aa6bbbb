import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventAppender } from '../../src/events/eventAppender.ts';
import { entriesOf, type RawStreamEntry } from '../../src/events/eventEntry.ts';
import { FillsRelay } from '../../src/events/fillsRelay.ts';
import { fillEventSchema } from '../../src/events/liveEventSchemas.ts';
import { Fence } from '../../src/lease/fence.ts';
import { createSilentLogger } from '../../src/log/logger.ts';
import { FillStream, type FillStreamExecution } from '../../src/orders/fillStream.ts';
import { deleteByPrefix } from '../support/redisKeys.ts';
import { REDIS_URL } from '../support/redisUrl.ts';
import { waitUntil } from '../support/waitUntil.ts';

const prefix = `test-events-fills-relay-${process.pid}`;
const keys = { events: `${prefix}:events`, fills: `${prefix}:fills`, position: `${prefix}:events:fillsPosition` };
let redis: Redis;
const logger = createSilentLogger();

beforeAll(() => {
  redis = new Redis(REDIS_URL);
});
afterAll(async () => {
  await deleteByPrefix(redis, prefix);
  redis.disconnect();
});

const fills = () => new FillStream(redis, { key: keys.fills, markerKey: (execId) => `${prefix}:marker:${execId}`, maxLen: 1_000, dedupeWindowMs: 60_000, logger });
const execution = (n: number, extra: Partial<FillStreamExecution> = {}): FillStreamExecution => ({
  execId: `x${n}`,
  clientOrderId: `o${n}`,
  account: 'DU1234567',
  symbol: 'ES',
  contractMonth: '202703',
  side: 'BUY',
  price: 5000 + n,
  quantity: 1,
  time: new Date(1_765_000_000_000 + n).toISOString(),
  ...extra,
});
const fillEvents = async () =>
  entriesOf((await redis.xrange(keys.events, '-', '+')) as RawStreamEntry[]).map((entry) => {
    expect(entry.type).toBe('fill');
    return fillEventSchema.parse(JSON.parse(entry.data));
  });

/** One active node's relay: an appender and the relay feeding it. */
function node() {
  const appender = new EventAppender(redis, { key: keys.events, fillsPositionKey: keys.position, maxLen: 1_000, fence: Fence.none(), logger });
  const relay = new FillsRelay(redis, { fillsKey: keys.fills, positionKey: keys.position, appender, logger, blockMs: 100 });
  relay.start();
  return {
    async stop() {
      await relay.stop();
      await appender.stop();
    },
  };
}

describe('the fills relay', () => {
  it('starts at the end of the fills stream, relays each later execution once as a fill event (not commissions), and resumes where it stopped', async () => {
    const stream = fills();
    await stream.appendExecutions([execution(0)]);
    const first = node();
    await waitUntil(async () => (await redis.get(keys.position)) !== null, 'position set at start');
    await stream.appendExecutions([execution(1, { commission: 2.5 }), execution(2, { parentClientOrderId: 'twap-1' })]);
    await stream.appendCommission({ execId: 'x2', commission: 1.25, time: new Date().toISOString() });
    await waitUntil(async () => (await fillEvents()).length === 2, 'two fills relayed');
    await first.stop();

    // Fills while no node relays are picked up by the next one, from the stored position.
    await stream.appendExecutions([execution(3)]);
    const second = node();
    await stream.appendExecutions([execution(4)]);
    await waitUntil(async () => (await fillEvents()).length === 4, 'four fills relayed');
    await second.stop();

    const events = await fillEvents();
    expect(events.map((event) => event.execId)).toEqual(['x1', 'x2', 'x3', 'x4']);
    expect(events[0]).toEqual({ ...execution(1), commission: 2.5 });
    expect(events[1]).toEqual(execution(2, { parentClientOrderId: 'twap-1' }));
    const [lastFill] = (await redis.xrevrange(keys.fills, '+', '-', 'COUNT', 1)) as RawStreamEntry[];
    expect(await redis.get(keys.position)).toBe(lastFill![0]);
  });
});
