import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { RuntimeView } from '../runtimeView.ts';
import { historicalBarsRequestOf, historyQuerySchema } from '../../ib/session/historyQuery.ts';
import { NoBrokerSessionError, NoHistoryContractError } from '../../ib/session/historicalBars.ts';
import { IbRequestError, RequestTimeoutError } from '../../ib/session/requestCorrelator.ts';
import { apiError } from '../apiError.ts';
import { checkedByHandler } from '../requestValidation.ts';
import { answer, errorResponses } from '../schemas/routeResponses.ts';
import { routeDocs } from '../schemas/routeDocs.ts';
import { formatIssues, issueMessages } from '../../shared/zodIssues.ts';

type HistoryRoute = { Params: { symbol: string }; Querystring: Record<string, unknown> };

const { shape } = historyQuerySchema;

/** The query as documented: the same checks, each said in words. */
const querystring = historyQuerySchema.omit({ symbol: true }).extend({
  duration: shape.duration.describe('How far back from `end`: a whole number, a space and S, D, W, M or Y'),
  barSize: shape.barSize.describe('One bar per'),
  end: shape.end.describe('When the last bar ends (default: now)'),
  whatToShow: shape.whatToShow.describe('What the bars are built from'),
  rth: shape.rth.describe('Regular trading hours only'),
  expiry: shape.expiry.describe('The contract month or last trade date (default: the month the contract policy trades now)'),
  exchange: shape.exchange.describe('The exchange (default: IB’s choice)'),
});

const historySchema = z.object({
  symbol: z.string(),
  contract: z
    .object({
      symbol: z.string(),
      secType: z.string(),
      exchange: z.string().optional(),
      currency: z.string(),
      lastTradeDateOrContractMonth: z.string().optional(),
    })
    .describe('The contract IB was asked about: a USD future of the symbol'),
  endDateTime: z.string().describe('`yyyyMMdd-HH:mm:ss` in UTC, or empty for now'),
  duration: z.string(),
  barSize: z.string(),
  whatToShow: z.string(),
  useRth: z.boolean(),
  bars: z.array(
    z.object({
      time: z.string().describe('As IB formatted it'),
      open: z.number(),
      high: z.number(),
      low: z.number(),
      close: z.number(),
      volume: z.number(),
      wap: z.number(),
      count: z.number(),
    }),
  ),
});

/**
 * `GET /marketdata/history/:symbol?duration=&barSize=&end=&whatToShow=&rth=&expiry=&exchange=`:
 * historical bars from IB, asked through the order connection's session and its pacing rules
 * (`tradewire md history`). A read: IB is asked, nothing changes.
 */
export function registerMarketDataHistoryRoute(app: FastifyInstance, view: RuntimeView): void {
  app.get<HistoryRoute>(
    '/marketdata/history/:symbol',
    {
      // One schema checks the symbol and the query together, and the answer names each bad field in its message.
      validatorCompiler: checkedByHandler,
      schema: {
        ...routeDocs({
          tag: 'market data',
          summary: 'Historical bars from IB',
          description:
            'Asked through the order connection’s session and its pacing rules (`tradewire md history`). Without `expiry`, the month the symbol’s contract policy trades now. Nothing changes.',
          access: 'read',
        }),
        params: z.object({ symbol: shape.symbol.describe('The future’s symbol, e.g. `ES`') }),
        querystring,
        response: {
          200: answer('The bars IB sent, with the request as IB got it', historySchema),
          ...errorResponses({
            access: 'read',
            codes: {
              400: { invalid_query: 'the symbol or a query value is wrong: the message names each one' },
              404: { no_contract_month: 'the query names no month and the contract policy resolves none' },
              502: { broker_refused: 'IB refused the request (no data, unknown contract, pacing): its answer is passed on' },
              503: { history_unavailable: 'this process has no broker connection', broker_offline: 'the order connection is not online' },
              504: { broker_timeout: 'IB did not answer in time' },
            },
          }),
        },
      },
    },
    async (request, reply) => {
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
    },
  );
}
