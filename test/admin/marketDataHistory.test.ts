import { afterEach, describe, expect, it } from 'vitest';
import { historicalBarsThrough, type HistoricalBarsRequest } from '../../src/ib/session/historicalBars.ts';
import { RequestTimeoutError } from '../../src/ib/session/requestCorrelator.ts';
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
