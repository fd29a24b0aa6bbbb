import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../src/supervision/eventBus.ts';
import { compileTopicPattern } from '../../src/supervision/topicPattern.ts';

describe('event bus', () => {
  it('routes by wildcard pattern', () => {
    const bus = new EventBus();
    const seen: string[] = [];
    bus.subscribe('market_data.*', (_p, topic) => void seen.push(`md:${topic}`));
    bus.subscribe('order.#', (_p, topic) => void seen.push(`order:${topic}`));
    bus.subscribe('order.filled', (_p, topic) => void seen.push(`exact:${topic}`));
    bus.publish('market_data.ES', 1);
    bus.publish('market_data.ES.depth', 1);
    bus.publish('order.filled', 1);
    bus.publish('order.abc.partial', 1);
    expect(seen).toEqual(['md:market_data.ES', 'order:order.filled', 'exact:order.filled', 'order:order.abc.partial']);
  });

  it('isolates a failing subscriber: the others still receive, and the failure is reported', async () => {
    const bus = new EventBus();
    const received: string[] = [];
    const failures: string[] = [];
    bus.onSubscriberFailure((f) => failures.push(`${f.subscriber}:${(f.error as Error).message}`));
    bus.subscribe('order.*', () => void received.push('first'), 'first');
    bus.subscribe('order.*', () => {
      throw new Error('boom');
    }, 'thrower');
    bus.subscribe('order.*', async () => {
      throw new Error('async boom');
    }, 'rejecter');
    bus.subscribe('order.*', () => void received.push('last'), 'last');
    expect(bus.publish('order.new', {})).toBe(4);
    await Promise.resolve();
    expect(received).toEqual(['first', 'last']);
    expect(failures).toEqual(['thrower:boom', 'rejecter:async boom']);
  });

  it('unsubscribes', () => {
    const bus = new EventBus();
    let count = 0;
    const off = bus.subscribe('a.*', () => void (count += 1));
    bus.publish('a.b', null);
    off();
    bus.publish('a.b', null);
    expect(count).toBe(1);
  });

  it('"*" matches exactly one segment (property)', () => {
    const segment = fc.stringMatching(/^[a-z0-9_]{1,6}$/);
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 5 }), fc.nat(4), (segments, starAt) => {
        const index = starAt % segments.length;
        const pattern = segments.map((s, i) => (i === index ? '*' : s)).join('.');
        const matches = compileTopicPattern(pattern);
        expect(matches(segments.join('.'))).toBe(true);
        expect(matches([...segments, 'extra'].join('.'))).toBe(false);
      }),
    );
  });

  it('rejects malformed patterns with a clear error', () => {
    expect(() => compileTopicPattern('a..b')).toThrow(/empty segment/);
    expect(() => compileTopicPattern('a.#.b')).toThrow(/last segment/);
  });
});
