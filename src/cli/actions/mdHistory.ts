import { z } from 'zod';
import { textTable } from '../textTable.ts';
import { AdminApiError, getJson, reportFailure, resolveAdminUrl, resolveReadToken } from '../adminClient.ts';
import { EXIT_OK, type CliDeps } from '../cliDeps.ts';

export interface MdHistoryOptions {
  duration?: string;
  barSize?: string;
  end?: string;
  what?: string;
  rth?: boolean;
  expiry?: string;
  exchange?: string;
  json?: boolean;
  url?: string;
  token?: string;
}

const barSchema = z.object({ time: z.string(), open: z.number(), high: z.number(), low: z.number(), close: z.number(), volume: z.number(), wap: z.number(), count: z.number() });
const answerSchema = z.object({ symbol: z.string(), bars: z.array(barSchema) });
type Bar = z.infer<typeof barSchema>;

/**
 * `tradewire md history <symbol>`: asks the running instance (GET /marketdata/history/:symbol), which
 * asks IB through its session and pacing rules; the API checks the options and names a bad one.
 */
export async function runMdHistory(symbol: string, options: MdHistoryOptions, deps: CliDeps): Promise<number> {
  try {
    const query = new URLSearchParams();
    const add = (name: string, value: string | undefined) => {
      if (value !== undefined) query.set(name, value);
    };
    add('duration', options.duration);
    add('barSize', options.barSize);
    add('end', options.end);
    add('whatToShow', options.what);
    add('rth', options.rth ? 'true' : undefined);
    add('expiry', options.expiry);
    add('exchange', options.exchange);
    const path = `/marketdata/history/${encodeURIComponent(symbol)}${query.size > 0 ? `?${query}` : ''}`;
    const body = await getJson(resolveAdminUrl(options.url, deps.env), path, resolveReadToken(options.token, deps.env));
    const answer = answerSchema.safeParse(body);
    if (!answer.success) throw new AdminApiError(200, 'invalid_response', 'the admin API answered with an unexpected body; is it a tradewire of the same version?');
    deps.out(options.json ? JSON.stringify(body, null, 2) : answer.data.bars.length === 0 ? `no bars for ${answer.data.symbol}` : formatBars(answer.data.bars));
    return EXIT_OK;
  } catch (error) {
    return reportFailure(error, deps);
  }
}

/** One line per bar, oldest first, as IB sent them. */
export function formatBars(bars: readonly Bar[]): string {
  const header = ['TIME', 'OPEN', 'HIGH', 'LOW', 'CLOSE', 'VOLUME', 'WAP', 'COUNT'];
  const rows = bars.map((b) => [b.time, String(b.open), String(b.high), String(b.low), String(b.close), String(b.volume), String(b.wap), String(b.count)]);
  return textTable(header, rows);
}
