import type { ActorNode, Connections, HaltState, LostEvent, MachineCatalog, Positions, Prices, QueueOverview, Reports, SupervisionEvent, OrderEvent, FillEvent, BreakEvent } from '../api/types.ts';
import { actorTree, recordSupervision } from '../state/actorTree.ts';
import { notify } from '../state/notices.ts';
import { orderBook } from '../state/orderBook.ts';
import { recordPrices } from '../state/priceHistory.ts';
import { Slice } from '../state/slice.ts';
import { EventStream } from './eventStream.ts';
import { Poller } from './poller.ts';

/** Every live source of the console: two SSE streams, and the read routes polled while watched. */

export const prices = new Poller<Prices>(() => '/prices', 1_000, (data) => recordPrices(data.prices));
export const positions = new Poller<Positions>(() => '/positions', 2_000);
export const connections = new Poller<Connections>(() => '/connections', 2_000);
export const deadLetterQueues = new Poller<QueueOverview>(() => '/dlq', 3_000);
export const reports = new Poller<Reports>(() => '/reports', 5_000);
export const halt = new Poller<HaltState>(() => '/halt', 5_000);
export const machines = new Poller<MachineCatalog>(() => '/machines', 60_000);

export const recentFills = new Slice<FillEvent[]>([]);

export const events = new EventStream(
  '/events',
  {
    order: (data) => orderBook.apply(data as OrderEvent),
    fill: (data) => recentFills.set([data as FillEvent, ...recentFills.value].slice(0, 20)),
    break: (data) => {
      const event = data as BreakEvent;
      notify(event.state === 'open' ? 'warning' : 'info', `Break ${event.state} on ${event.symbol}: ${event.reason}${event.detail ? ` (${event.detail})` : ''}`);
      void positions.refresh();
    },
    halt: () => void halt.refresh(),
    connection: () => void connections.refresh(),
    lost: (data) => {
      const lost = data as LostEvent;
      notify('warning', `Live events were lost (${lost.reason}): the blotter was read again from the server.`);
      void orderBook.loadSnapshot();
    },
  },
);

export const actorStream = new EventStream('/actors/stream', {
  tree: (data) => actorTree.set(data as ActorNode),
  supervision: (data) => recordSupervision(data as SupervisionEvent),
});

/** Starts the streams and the sources every page shows (the header's halt, role and account type). */
export function startFeeds(): void {
  events.open();
  actorStream.open();
  void orderBook.loadSnapshot().catch((error: unknown) => notify('error', `Could not read the orders: ${error instanceof Error ? error.message : String(error)}`));
  halt.watch();
  connections.watch();
  prices.watch();
}
