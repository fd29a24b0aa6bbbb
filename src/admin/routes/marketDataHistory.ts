import type { FastifyInstance } from 'fastify';
import type { RuntimeView } from '../runtimeView.ts';
import { historicalBarsRequestOf, historyQuerySchema } from '../../ib/session/historyQuery.ts';
import { NoBrokerSessionError, NoHistoryContractError } from '../../ib/session/historicalBars.ts';
import { IbRequestError, RequestTimeoutError } from '../../ib/session/requestCorrelator.ts';
import { apiError } from '../apiError.ts';
import { formatIssues, issueMessages } from '../../shared/zodIssues.ts';

type HistoryRoute = { Params: { symbol: string }; Querystring: Record<string, unknown> };

/**
 * `GET /marketdata/history/:symbol?duration=&barSize=&end=&whatToShow=&rth=&expiry=&exchange=`:
 * historical bars from IB, asked through the order connection's session and its pacing rules
 * (`tradewire md history`). A read: IB is asked, nothing changes.
 */
export function registerMarketDataHistoryRoute(app: FastifyInstance, view: RuntimeView): void {
  app.get<HistoryRoute>('/marketdata/history/:symbol', async (request, reply) => {
    const parsed = historyQuerySchema.safeParse({ ...request.query, symbol: request.params.symbol }, { error: issueMessages });
    if (!parsed.success) return reply.code(400).send(apiError('invalid_query', formatIssues(parsed.error.issues).join('; ')));
    if (!view.historicalBars) return reply.code(503).send(apiError('history_unavailable', 'this process asks IB for nothing (no broker connection)'));
    const historical = historicalBarsRequestOf(parsed.data);
    try {
      const bars = await view.historicalBars(historical);
      return reply.code(200).send({ symbol: parsed.data.symbol, ...historical, bars });
    } catch (error) {
      if (error instanceof NoBrokerSessionError) return reply.code(503).send(apiError('broker_offline', error.message));
      if (error instanceof NoHistoryContractError) return reply.code(404).send(apiError('no_contract_month', error.message));
      if (error instanceof RequestTimeoutError) return reply.code(504).send(apiError('broker_timeout', error.message));
      // IB refused the request (162: no data, unknown contract, pacing): the broker's answer, passed on.
      if (error instanceof IbRequestError) return reply.code(502).send(apiError('broker_refused', error.message));
      throw error;
    }
  });
}
