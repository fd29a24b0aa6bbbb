import type { Command } from 'commander';
import type { DlqListOptions, DlqPurgeOptions, DlqReplayOptions, DlqShowOptions } from '../actions/dlq.ts';
import { processCliDeps, type CliDeps } from '../cliDeps.ts';
import { DEFAULT_REDIS_URL, withAdminTargetOptions, withNamespaceOption } from '../options.ts';

const dlqActions = () => import('../actions/dlq.ts');

export function registerDlqCommand(program: Command, deps: CliDeps = processCliDeps()): void {
  const dlq = program.command('dlq').description('inspect, replay and purge dead-lettered jobs (<queue>:dead)');
  const withConnection = (command: Command): Command => withNamespaceOption(command.option('--redis-url <url>', `Redis URL (default: $REDIS_URL or ${DEFAULT_REDIS_URL})`));

  withConnection(dlq.command('list <queue>').description('list the dead letters of a queue, newest first'))
    .option('--json', 'print the records as JSON')
    .option('--offset <n>', 'skip this many', '0')
    .option('--limit <n>', 'show at most this many', '50')
    .action(async (queue: string, options: DlqListOptions) => deps.setExitCode(await (await dlqActions()).runDlqList(queue, options, deps)));

  withConnection(dlq.command('show <id>').description('show one dead letter in full: payload, error, stack (id: <queue>:dead:<jobId>)'))
    .option('--queue <queue>', 'the source queue, when <id> is a bare job id')
    .action(async (id: string, options: DlqShowOptions) => deps.setExitCode(await (await dlqActions()).runDlqShow(id, options, deps)));

  withAdminTargetOptions(dlq.command('replay [id]').description('re-add a dead letter\'s payload to its queue (once per dead letter), through the admin API'))
    .option('--all', 'replay every dead letter of --queue not replayed yet')
    .option('--queue <queue>', 'the source queue (required with --all, or when <id> is a bare job id)')
    .action(async (id: string | undefined, options: DlqReplayOptions) => deps.setExitCode(await (await dlqActions()).runDlqReplay(id, options, deps)));

  withAdminTargetOptions(dlq.command('purge').description('delete dead letters older than a duration, through the admin API'))
    .requiredOption('--older-than <duration>', 'e.g. 30m, 12h, 7d')
    .option('--queue <queue>', 'the source queue (required)')
    .action(async (options: DlqPurgeOptions) => deps.setExitCode(await (await dlqActions()).runDlqPurge(options, deps)));
}
