import type { Command } from 'commander';
import { REVIEW_REASONS } from '../../marketdata/rejectLog.ts';
import type { MdRejectsOptions } from '../actions/md.ts';
import { processCliDeps, type CliDeps } from '../cliDeps.ts';
import { DEFAULT_REDIS_URL, withNamespaceOption } from '../options.ts';

export function registerMdCommand(program: Command, deps: CliDeps = processCliDeps()): void {
  const md = program.command('md').description('market data: review what quality control rejected');
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
}
