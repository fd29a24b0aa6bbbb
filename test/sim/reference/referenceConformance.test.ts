import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TwsSimulator } from '../../../src/sim/index.ts';
import { startSimulator } from '../../support/simulator.ts';
import { MIN_SERVER_VER as V, REFERENCE_VERSIONS } from './ibServerVersions.ts';
import { KEY_FIELDS } from './keyFields.ts';
import { walk } from './layout.ts';
import { LAYOUT_BY_ID, REFERENCE_LAYOUTS } from './layouts.ts';
import { ReferenceClient } from './referenceClient.ts';
import {
  cancelOrder,
  placeOrder,
  reqAccountSummary,
  reqAccountUpdates,
  reqAllOpenOrders,
  reqContractDetails,
  reqCurrentTime,
  reqExecutions,
  reqHistoricalData,
  reqMarketDataSnapshot,
  reqPositions,
} from './requests.ts';

/**
 * The simulator against IB's own reference decoder, without any client library: at every server
 * version 100..193 a raw client makes the simulator produce every message it writes, and each
 * frame must have exactly the fields EDecoder/EOrderDecoder read at that version, with the key
 * fields holding what they should. Connect-time messages in OPTIONAL_LAYOUTS are judged when they
 * turn up; frames with ids in neither table are not judged here.
 */
describe('simulator frames match IB reference decoder layouts', () => {
  let sim: TwsSimulator;
  let port: number;

  beforeAll(async () => {
    ({ sim, port } = await startSimulator({ serverVersionRange: { min: 100, max: 193 } }));
  });
  afterAll(async () => sim.close());

  const has = (id: number, match: (f: string[]) => boolean = () => true) => (frames: string[][]) =>
    frames.some((f, i) => i > 0 && Number(f[0]) === id && match(f));

  it.each(REFERENCE_VERSIONS)('server version %i', async (sv) => {
    const client = await ReferenceClient.open(port, sv, sv);
    try {
      const idFrame = client.frames().find((f, i) => i > 0 && f[0] === '9') as string[];
      let nextId = Number(idFrame[2]);

      // a market order: openOrder, orderStatus, execDetails, commissionReport (sides alternate so the
      // account stays flat and margin never refuses a later version's orders)
      const side = sv % 2 === 0 ? 'BUY' : 'SELL';
      client.send(placeOrder(sv, nextId++, 'ES', { action: side, qty: 1, type: 'MKT', orderRef: `ref-mkt-${sv}` }));
      await client.waitFor(has(59));

      // a resting limit (listed, then cancelled: orderStatus Cancelled + error 202), a whatIf, and every query
      const limitId = nextId++;
      const whatIfId = nextId++;
      client.send(placeOrder(sv, limitId, 'ES', { action: 'BUY', qty: 1, type: 'LMT', lmtPrice: sim.price('ES') - 100, orderRef: `ref-lmt-${sv}` }));
      client.send(placeOrder(sv, whatIfId, 'ES', { action: 'SELL', qty: 2, type: 'LMT', lmtPrice: sim.price('ES') + 100, orderRef: `ref-whatif-${sv}`, whatIf: true }));
      client.send(reqAllOpenOrders());
      client.send(cancelOrder(sv, limitId));
      client.send(reqExecutions(1));
      client.send(reqPositions());
      client.send(reqAccountSummary(2));
      client.send(reqAccountUpdates());
      client.send(reqContractDetails(3, 'ES'));
      client.send(reqMarketDataSnapshot(4, 'ES'));
      client.send(reqCurrentTime());
      client.send(reqHistoricalData(sv, 5, 'ES'));
      await client.waitFor((frames) =>
        [53, 55, 62, 64, 54, 52, 57, 49, 17].every((id) => has(id)(frames)) &&
        has(4, (f) => f[2] === String(limitId) && f[3] === '202')(frames) && // ERR_MSG: version, id, code
        has(5, (f) => f.includes(`ref-whatif-${sv}`))(frames),
      );
      if (sv >= V.SYNT_REALTIME_BARS) {
        sim.stepPrices(1); // the keepUpToDate bar in progress
        await client.waitFor(has(90));
      }

      const problems: string[] = [];
      const seen = new Set<string>();
      for (const frame of client.frames().slice(1)) {
        const layout = LAYOUT_BY_ID.get(Number(frame[0]));
        if (!layout) continue;
        seen.add(layout.name);
        const result = walk(layout, sv, frame.slice(1));
        if (!result.ok) {
          problems.push(result.error);
          continue;
        }
        for (const p of KEY_FIELDS[layout.name]?.(result.values, sv) ?? []) problems.push(`${layout.name} at ${sv}: ${p}`);
      }
      expect(problems).toEqual([]);
      const expected = REFERENCE_LAYOUTS.map((l) => l.name).filter((n) => n !== 'HISTORICAL_DATA_UPDATE' || sv >= V.SYNT_REALTIME_BARS);
      expect(expected.filter((name) => !seen.has(name))).toEqual([]);
    } finally {
      client.close();
    }
  });
});
