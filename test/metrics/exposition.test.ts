import { describe, expect, it } from 'vitest';
import { conventionViolations, metricNamesIn, parseExposition } from './exposition.ts';

const family = (name: string, type: string, labels = '') => `# HELP ${name} x\n# TYPE ${name} ${type}\n${name}${labels} 1\n`;
const violations = (text: string) => conventionViolations(parseExposition(text).values());

describe('the metric naming conventions checker', () => {
  it('passes conventional families', () => {
    expect(violations(family('tradewire_orders_total', 'counter', '{outcome="filled"}') + family('tradewire_queue_jobs', 'gauge', '{queue="orders",state="waiting"}'))).toEqual([]);
    const histogram = '# TYPE tradewire_order_ack_seconds histogram\ntradewire_order_ack_seconds_bucket{le="0.1"} 1\ntradewire_order_ack_seconds_sum 0.05\ntradewire_order_ack_seconds_count 1\n';
    expect(violations(histogram)).toEqual([]);
  });

  it.each([
    [family('md_ticks_total', 'counter'), /prefix/],
    [family('tradewire_ticksReceived_total', 'counter'), /snake_case/],
    [family('tradewire_source_ticks', 'counter'), /_total/],
    [family('tradewire_open_total', 'gauge'), /named like a counter/],
    [family('tradewire_source_last_tick_age_ms', 'gauge'), /seconds/],
    [family('tradewire_order_latency_milliseconds_sum', 'gauge'), /seconds/],
    [family('tradewire_order_latency', 'histogram'), /histogram not in seconds/],
    [family('tradewire_ib_connection_health', 'gauge', '{systemId="ib"}'), /label systemId/],
    [family('tradewire_md_source_health', 'gauge') + family('tradewire_marketdata_source_health', 'gauge'), /two prefixes/],
  ])('catches %s', (text, problem) => {
    expect(violations(text).join('\n')).toMatch(problem);
  });

  it('finds the metric names of PromQL expressions, not functions, labels or strings', () => {
    expect(metricNamesIn('histogram_quantile(0.99, sum by (le, tradewire_x) (rate(tradewire_order_route_seconds_bucket{queue="tradewire_y"}[$__rate_interval])))')).toEqual(['tradewire_order_route_seconds_bucket']);
    expect(metricNamesIn('tradewire_a / on (account) tradewire_b').sort()).toEqual(['tradewire_a', 'tradewire_b']);
  });
});
