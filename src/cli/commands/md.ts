import type { Command } from 'commander';
import { REVIEW_REASONS } from '../../marketdata/rejectLog.ts';
import type { MdRejectsOptions } from '../actions/md.ts';
import type { MdHistoryOptions } from '../actions/mdHistory.ts';
import { processCliDeps, type CliDeps } from '../cliDeps.ts';
import { DEFAULT_REDIS_URL, withNamespaceOption } from '../options.ts';

export function registerMdCommand(program: Command, deps: CliDeps = processCliDeps()): void {
  const md = program.command('md').description('market data: review what quality control rejected; historical bars from IB');
  withNamespaceOption(md.command('rejects'))
    .description('list rejected ticks with their raw values, newest first (from the Redis stream the runtime writes)')
    .option('--source <id>', 'only this source')
    .option('--symbol <symbol>', 'only this instrument')
    .option('--reason <reason>', `only this reason (${REVIEW_REASONS.join(', ')})`)
    .option('--limit <n>', 'show at most this many', '50')
    .option('--json', 'print the records as JSON')
    .option('--redis-url <url>', `Redis URL (default: $REDIS_URL or ${DEFAULT_REDIS_URL})`)
    .option('--key <key>', "the rejects stream's full key (default: the config's marketData.rejects.streamKey under the namespace, e.g. tradewire:md:rejects)")
    .action(async (options: MdRejectsOptions) => {
      const { runMdRejects } = await import('../actions/md.ts');
      deps.setExitCode(await runMdRejects(options, deps));
    });
  md.command('history <symbol>')
    .description("historical bars from IB, asked by the running tradewire through its IB connection's pacing rules")
    .option('--duration <duration>', 'how far back, as IB writes it: a number, a space and S, D, W, M or Y', '1 D')
    .option('--bar-size <size>', 'bar size as IB writes it, e.g. "1 min", "5 mins", "1 hour", "1 day"', '1 hour')
    .option('--end <iso>', 'the last bar ends here, an ISO-8601 timestamp (default: now)')
    .option('--what <whatToShow>', 'TRADES, MIDPOINT, BID, ASK or BID_ASK', 'TRADES')
    .option('--rth', 'regular trading hours only')
    .option('--expiry <YYYYMM>', 'the contract month (or YYYYMMDD last trade date) when the symbol has several')
    .option('--exchange <code>', 'the exchange, e.g. CME')
    .option('--json', 'print the answer as JSON')
    .option('--url <url>', 'admin API URL (default: $TRADEWIRE_ADMIN_URL or http://127.0.0.1:$TRADEWIRE_ADMIN_PORT)')
    .option('--token <token>', 'needed when the admin API listens beyond loopback (default: $TRADEWIRE_READ_TOKEN, else $TRADEWIRE_ADMIN_TOKEN)')
    .action(async (symbol: string, options: MdHistoryOptions) => {
      const { runMdHistory } = await import('../actions/mdHistory.ts');
      deps.setExitCode(await runMdHistory(symbol, options, deps));
    });
}
