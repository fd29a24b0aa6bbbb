import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { createSilentLogger } from '../../../src/log/logger.ts';
import { createSupervisionServices } from '../../../src/supervision/services.ts';
import { SupervisionTree } from '../../../src/supervision/supervisionTree.ts';
import { lifecycleOf } from '../../../src/machines/marketdata/sourceMachine.ts';
import { marketDataSubtree, sourceSystemId } from '../../../src/runtime/capabilities/marketDataSubtree.ts';
import { parseSourceConfigs } from '../../../src/marketdata/sources/sourceConfig.ts';
import { RecordingSink, SymbolList } from './helpers.ts';
import { waitUntil } from '../../support/waitUntil.ts';

const EXAMPLE = resolve('src/marketdata/sources/custom/examples/websocketQuotes.ts');
const index = new SymbolList(['ES', 'NQ']);
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A vendor feed: after a client subscribes, it sends one message per call of `push`. */
async function vendorFeed() {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((done) => server.once('listening', done));
  const clients = new Set<WebSocket>();
  const subscriptions: unknown[] = [];
  server.on('connection', (socket) => {
    socket.on('message', (data) => {
      subscriptions.push(JSON.parse(String(data)));
      clients.add(socket);
    });
    socket.on('close', () => clients.delete(socket));
  });
  cleanups.push(() => new Promise((done) => server.close(done)));
  return {
    url: `ws://127.0.0.1:${(server.address() as { port: number }).port}`,
    subscriptions,
    clients,
    push: (message: unknown) => {
      for (const client of clients) client.send(typeof message === 'string' ? message : JSON.stringify(message));
    },
    dropAll: () => {
      for (const client of clients) client.terminate();
    },
  };
}

function startTree(module: string, options: Record<string, unknown>) {
  const sink = new RecordingSink(index);
  const spec = marketDataSubtree({
    sources: parseSourceConfigs([{ kind: 'custom', id: 'vendor', module, instruments: ['ES', 'NQ'], options, maxAgeMs: 10_000, checkIntervalMs: 20 }]),
    sink,
    index,
    logger: createSilentLogger(),
    supervision: { backoff: { minMs: 10, maxMs: 10, jitter: 0 } },
  })!;
  const tree = new SupervisionTree({ root: { children: [spec] }, services: createSupervisionServices({ logger: createSilentLogger() }) }).start();
  cleanups.push(() => tree.stop());
  const node = () => tree.describe().children[0]!.children.find((c) => c.systemId === sourceSystemId('vendor'))!;
  const lifecycle = () => {
    const ref = tree.get(sourceSystemId('vendor'));
    return ref ? lifecycleOf(ref.getSnapshot()) : 'absent';
  };
  return { sink, tree, node, lifecycle };
}

describe('custom source (the one-file WebSocket example adapter)', () => {
  it('loads the module, subscribes, streams validated quotes, and counts garbage messages', async () => {
    const feed = await vendorFeed();
    const { sink, node, lifecycle } = startTree(EXAMPLE, { url: feed.url });
    await waitUntil(() => feed.clients.size === 1, 'subscribed');
    expect(feed.subscriptions).toEqual([{ subscribe: ['ES', 'NQ'] }]);
    feed.push({ symbol: 'ES', bid: 5900, ask: 5900.5, last: 5900.25, ts: 1_717_425_000_000 });
    feed.push('{not json');
    feed.push({ symbol: 'ES', bid: 'cheap' });
    feed.push({ symbol: 'ZZ', last: 1, ts: 1 });
    feed.push({ symbol: 'NQ', last: 20_800, ts: 1_717_425_000_001 });
    await waitUntil(() => sink.ticks.length === 2 && lifecycle() === 'streaming', 'two quotes, streaming');
    expect(sink.ticks).toEqual([
      { source: 'vendor', symbol: 'ES', bid: 5900, ask: 5900.5, last: 5900.25, sourceTsMs: 1_717_425_000_000 },
      { source: 'vendor', symbol: 'NQ', bid: Number.NaN, ask: Number.NaN, last: 20_800, sourceTsMs: 1_717_425_000_001 },
    ]);
    await waitUntil(() => node().details?.ticksRejected === 1, 'rejected tick counted');
    expect(node().details).toMatchObject({ module: EXAMPLE, url: feed.url, badMessages: 2, ticksReceived: 2, ticksRejected: 1 });
  });

  it('a feed that closes the socket fails the source; the supervisor restarts it and it subscribes again', async () => {
    const feed = await vendorFeed();
    const { sink, node, lifecycle } = startTree(EXAMPLE, { url: feed.url });
    await waitUntil(() => feed.clients.size === 1, 'subscribed');
    feed.dropAll();
    await waitUntil(() => node().restarts === 1 && feed.clients.size === 1, 'restarted and subscribed again');
    expect(feed.subscriptions).toHaveLength(2);
    feed.push({ symbol: 'ES', last: 5901, ts: 2 });
    await waitUntil(() => lifecycle() === 'streaming', 'streaming again');
    expect(sink.healthOf('vendor')).toEqual(['subscribing', 'failed', 'subscribing', 'streaming']);
  });

  it('a module that does not exist, or exports no factory, is a failed start with the reason', async () => {
    const missing = startTree('./no/such/adapter.ts', {});
    await waitUntil(() => missing.node().restarts >= 1, 'restarted');
    const supervisorView = missing.tree.get('marketData')!.getSnapshot() as { context: { children: { id: string; lastError: string | null }[] } };
    expect(supervisorView.context.children.find((c) => c.id === sourceSystemId('vendor'))!.lastError).toMatch(/start failed: .*no\/such\/adapter/i);

    const notAFactory = startTree(resolve('test/marketdata/sources/helpers.ts'), {});
    await waitUntil(() => notAFactory.node().restarts >= 1, 'restarted');
    const view = notAFactory.tree.get('marketData')!.getSnapshot() as { context: { children: { id: string; lastError: string | null }[] } };
    expect(view.context.children.find((c) => c.id === sourceSystemId('vendor'))!.lastError).toMatch(/exports neither a default function nor createSource/);
  });
});
