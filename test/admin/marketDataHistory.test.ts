import { afterEach, describe, expect, it } from 'vitest';
import { historicalBarsThrough, type HistoricalBarsRequest } from '../../src/ib/session/historicalBars.ts';
import { RequestTimeoutError } from '../../src/ib/session/requestCorrelator.ts';
import { ContractResolver } from '../../src/contracts/index.ts';
import { inPolicyMonth } from '../../src/runtime/historyContractMonth.ts';
import { makeAdminTestApp } from './adminTestApp.ts';
import { FakeRuntimeView } from './fakeRuntimeView.ts';
import type { RuntimeView } from '../../src/admin/runtimeView.ts';

const apps: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

function appWith(historicalBars?: RuntimeView['historicalBars']) {
  const view: FakeRuntimeView & Pick<RuntimeView, 'historicalBars'> = new FakeRuntimeView();
  if (historicalBars) view.historicalBars = historicalBars;
  const { app } = makeAdminTestApp({ view });
  apps.push(app);
  return app;
}

const errorOf = (body: string) => (JSON.parse(body) as { error: { code: string; message: string } }).error;

describe('GET /marketdata/history/:symbol', () => {
  it('defaults what the query leaves out and asks for a USD future of the symbol', async () => {
    const asked: HistoricalBarsRequest[] = [];
    const app = appWith(async (request) => {
      asked.push(request);
      return [];
    });
    const response = await app.inject({ method: 'GET', url: '/marketdata/history/CL?expiry=202703&exchange=NYMEX&rth=true' });
    expect(response.statusCode).toBe(200);
    expect(asked).toEqual([
      {
        contract: { symbol: 'CL', secType: 'FUT', currency: 'USD', exchange: 'NYMEX', lastTradeDateOrContractMonth: '202703' },
        endDateTime: '',
        duration: '1 D',
        barSize: '1 hour',
        whatToShow: 'TRADES',
        useRth: true,
      },
    ]);
  });

  it('answers 503 where no broker connection runs, and while the connection is offline', async () => {
    const none = await appWith().inject({ method: 'GET', url: '/marketdata/history/ES' });
    expect(none.statusCode).toBe(503);
    expect(errorOf(none.body).code).toBe('history_unavailable');
    const offline = await appWith(historicalBarsThrough(() => ({ online: false, historicalBars: async () => [] }))).inject({ method: 'GET', url: '/marketdata/history/ES' });
    expect(offline.statusCode).toBe(503);
    expect(errorOf(offline.body)).toMatchObject({ code: 'broker_offline', message: expect.stringMatching(/not online/) });
  });

  it('asks for the month the contract policy trades now when the query names none; 404 when there is none', async () => {
    const listing = [
      { contractMonth: '202612', lastTradeDate: '20261218', lastTradeDateOrContractMonth: '20261218', localSymbol: 'ESZ6', conId: 1, exchange: 'CME', expiresAt: Date.parse('2026-12-18T14:30:00Z') },
      { contractMonth: '202703', lastTradeDate: '20270319', lastTradeDateOrContractMonth: '20270319', localSymbol: 'ESH7', conId: 2, exchange: 'CME', expiresAt: Date.parse('2027-03-19T13:30:00Z') },
    ];
    const contracts = new ContractResolver({ listing: async (_s, at) => listing.filter((m) => at === undefined || m.expiresAt > at), now: () => Date.parse('2026-12-07T15:00:00Z'), policies: { ES: 'front', CL: '202601' } });
    const asked: HistoricalBarsRequest[] = [];
    const session = { online: true, historicalBars: async (request: HistoricalBarsRequest) => (asked.push(request), []) };
    const app = appWith(historicalBarsThrough(() => session, inPolicyMonth(contracts)));
    expect((await app.inject({ method: 'GET', url: '/marketdata/history/ES' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/marketdata/history/ES?expiry=20270319' })).statusCode).toBe(200);
    expect(asked.map((r) => r.contract.lastTradeDateOrContractMonth)).toEqual(['202612', '20270319']);
    const none = await app.inject({ method: 'GET', url: '/marketdata/history/CL' });
    expect(none.statusCode).toBe(404);
    expect(errorOf(none.body)).toMatchObject({ code: 'no_contract_month', message: expect.stringMatching(/^no contract month for CL: /) });
    expect(asked).toHaveLength(2);
  });

  it('answers 504 when IB does not answer in time', async () => {
    const response = await appWith(() => Promise.reject(new RequestTimeoutError(100_000_001, 5_000))).inject({ method: 'GET', url: '/marketdata/history/ES' });
    expect(response.statusCode).toBe(504);
    expect(errorOf(response.body)).toEqual({ code: 'broker_timeout', message: 'IB request 100000001 got no answer within 5000 ms' });
  });

  it('answers 400 naming each bad field, and asks IB nothing', async () => {
    let asked = 0;
    const app = appWith(async () => {
      asked += 1;
      return [];
    });
    const response = await app.inject({ method: 'GET', url: '/marketdata/history/ES?expiry=2027&rth=yes' });
    expect(response.statusCode).toBe(400);
    expect(errorOf(response.body)).toEqual({ code: 'invalid_query', message: 'rth: must be true or false; expiry: must be YYYYMM or YYYYMMDD' });
    expect(asked).toBe(0);
  });
});
