import { compileTopicPattern } from './topicPattern.ts';

export type BusHandler<T = unknown> = (payload: T, topic: string) => void | Promise<void>;

export interface SubscriberFailure {
  subscriber: string;
  topic: string;
  error: unknown;
}

interface Subscription {
  name: string;
  pattern: string;
  matches: (topic: string) => boolean;
  handler: BusHandler;
}

/**
 * Publish/subscribe by topic for actors. Every subscriber runs isolated: one that throws
 * (or rejects) is reported and the others still get the message.
 */
export class EventBus {
  private readonly subscriptions = new Set<Subscription>();
  /** Topic -> matching subscribers; hot topics (market data) skip pattern matching. */
  private readonly routeCache = new Map<string, Subscription[]>();
  private readonly failureListeners = new Set<(failure: SubscriberFailure) => void>();
  private published = 0;

  subscribe<T = unknown>(pattern: string, handler: BusHandler<T>, name = pattern): () => void {
    const subscription: Subscription = {
      name,
      pattern,
      matches: compileTopicPattern(pattern),
      handler: handler as BusHandler,
    };
    this.subscriptions.add(subscription);
    this.routeCache.clear();
    return () => {
      this.subscriptions.delete(subscription);
      this.routeCache.clear();
    };
  }

  /** Delivers to every matching subscriber and returns how many there were. */
  publish<T>(topic: string, payload: T): number {
    this.published += 1;
    const targets = this.route(topic);
    for (const subscription of targets) this.deliver(subscription, topic, payload);
    return targets.length;
  }

  onSubscriberFailure(listener: (failure: SubscriberFailure) => void): () => void {
    this.failureListeners.add(listener);
    return () => this.failureListeners.delete(listener);
  }

  get publishedCount(): number {
    return this.published;
  }

  private route(topic: string): Subscription[] {
    let targets = this.routeCache.get(topic);
    if (!targets) {
      targets = [...this.subscriptions].filter((subscription) => subscription.matches(topic));
      if (this.routeCache.size > 10_000) this.routeCache.clear();
      this.routeCache.set(topic, targets);
    }
    return targets;
  }

  private deliver(subscription: Subscription, topic: string, payload: unknown): void {
    try {
      const result = subscription.handler(payload, topic);
      if (result && typeof (result as Promise<void>).then === 'function') {
        (result as Promise<void>).then(undefined, (error: unknown) => this.reportFailure(subscription, topic, error));
      }
    } catch (error) {
      this.reportFailure(subscription, topic, error);
    }
  }

  private reportFailure(subscription: Subscription, topic: string, error: unknown): void {
    const failure = { subscriber: subscription.name, topic, error };
    for (const listener of this.failureListeners) {
      try {
        listener(failure);
      } catch {
        // Reporting must never become the second failure.
      }
    }
  }
}
