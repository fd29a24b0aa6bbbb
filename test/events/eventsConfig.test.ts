import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { DEFAULT_EVENTS_CONFIG } from '../../src/events/eventsConfig.ts';
import { configErrorOf } from '../config/configFixture.ts';

describe('events in the config', () => {
  it('defaults to recording, a window of about 10,000 events and a keepalive every 15 s (config/default.json agrees)', () => {
    expect(loadConfig({ env: {} }).events).toEqual({ enabled: true, retention: { maxLen: 10_000 }, keepaliveMs: 15_000 });
    expect(loadConfig({ env: {} }).events).toEqual(DEFAULT_EVENTS_CONFIG);
  });

  it('takes what the config sets, key by key', () => {
    expect(loadConfig({ env: {}, overrides: { events: { retention: { maxLen: 50_000 } } } }).events).toEqual({ ...DEFAULT_EVENTS_CONFIG, retention: { maxLen: 50_000 } });
  });

  it('refuses to start on a bad value, naming the key (fast-check)', () => {
    const keys = [
      [['retention', 'maxLen'], fc.oneof(fc.constant(0), fc.constant(99), fc.constant(1.5), fc.constant('10000'), fc.constant(null))],
      [['keepaliveMs'], fc.oneof(fc.constant(0), fc.constant(-5), fc.constant(2.5), fc.constant('15s'))],
      [['enabled'], fc.oneof(fc.constant('yes'), fc.constant(1))],
    ] as const;
    for (const [path, bad] of keys) {
      fc.assert(
        fc.property(bad, (value) => {
          const override = path.length === 2 ? { [path[0]]: { [path[1]]: value } } : { [path[0]]: value };
          const error = configErrorOf(() => loadConfig({ env: {}, overrides: { events: override as never } }));
          expect(error.issues.map((issue) => issue.path)).toEqual([`events.${path.join('.')}`]);
        }),
        { numRuns: 10 },
      );
    }
    expect(configErrorOf(() => loadConfig({ env: {}, overrides: { events: { maxLen: 10 } as never } })).message).toContain('events');
  });
});
