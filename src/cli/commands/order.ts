import type { Command } from 'commander';
import type { ClearBreakFlags, ModifyFlags, ReadFlags, SubmitFlags } from '../actions/order.ts';
import { processCliDeps, type CliDeps } from '../cliDeps.ts';
import { decimalFlag, integerFlag } from '../numberFlags.ts';
import { withAdminTargetOptions, withNamespaceOption, type AdminTargetOptions } from '../options.ts';

const order = () => import('../actions/order.ts');

/**
 * `tradewire order ...`. Changes (submit, cancel, modify, clear-break) go through the admin API
 * with the operator token, so the runtime checks, queues and audits them under its namespace;
 * reads (list, show, breaks) read the runtime's keys in Redis.
 */
export function registerOrderCommand(program: Command, deps: CliDeps = processCliDeps()): void {
  const command = program.command('order').description('submit, cancel and inspect orders');
  const readOptions = (c: Command) => withNamespaceOption(c.option('--redis-url <url>', 'Redis URL (default: $REDIS_URL or redis://127.0.0.1:6379)'));

  withAdminTargetOptions(
    command
      .command('submit')
      .description('submit a new order through the admin API (queued on the orders queue)')
      .requiredOption('--symbol <symbol>', 'futures symbol, e.g. ES')
      .option('--expiry <yyyymm>', 'contract month (YYYYMM or YYYYMMDD)')
      .option('--con-id <conId>', 'IB contract id instead of symbol and expiry', integerFlag('--con-id'))
      .requiredOption('--side <side>', 'BUY or SELL')
      .requiredOption('--qty <quantity>', 'contracts', decimalFlag('--qty'))
      .option('--type <type>', 'MKT, LMT, STP or STP LMT', 'MKT')
      .option('--limit <price>', 'limit price (LMT, STP LMT)', decimalFlag('--limit'))
      .option('--stop <price>', 'stop price (STP, STP LMT)', decimalFlag('--stop'))
      .option('--tif <tif>', 'DAY, GTC or IOC', 'DAY')
      .option('--account <account>', 'IB account', 'DU1234567')
      .option('--strategy <name>', 'strategy name', 'manual')
      .option('--id <clientOrderId>', 'client order id (default: generated)')
      .option('--risk-reducing', 'the order reduces a position (queued ahead of new risk)'),
  ).action(async (flags: SubmitFlags) => deps.setExitCode(await (await order()).runOrderSubmit(flags, deps)));

  withAdminTargetOptions(command.command('cancel').description('ask for an order to be cancelled, through the admin API').argument('<clientOrderId>')).action(
    async (id: string, flags: AdminTargetOptions) => deps.setExitCode(await (await order()).runOrderCancel(id, flags, deps)),
  );
  withAdminTargetOptions(
    command
      .command('modify')
      .description('ask for a working order to be modified (quantity, limit or stop price), through the admin API')
      .argument('<clientOrderId>')
      .option('--qty <quantity>', 'new total quantity', decimalFlag('--qty'))
      .option('--limit <price>', 'new limit price', decimalFlag('--limit'))
      .option('--stop <price>', 'new stop price', decimalFlag('--stop')),
  ).action(async (id: string, flags: ModifyFlags) => deps.setExitCode(await (await order()).runOrderModify(id, flags, deps)));
  readOptions(command.command('list').description('recent orders, newest first').option('--open', 'only orders not yet finished').option('--json')).action(
    async (flags: ReadFlags & { open?: boolean }) => deps.setExitCode(await (await order()).runOrderList(flags, deps)),
  );
  readOptions(command.command('breaks').description('open reconciliation breaks (their instruments are locked for new orders)').option('--json')).action(
    async (flags: ReadFlags) => deps.setExitCode(await (await order()).runOrderBreaks(flags, deps)),
  );
  withAdminTargetOptions(
    command
      .command('clear-break')
      .description('clear a resolved break and unlock its instrument, through the admin API')
      .argument('<symbol>')
      .option('--reason <text>', 'why the break may be cleared (logged with the request)')
      .option('--operator <name>', 'who is clearing it'),
  ).action(async (symbol: string, flags: ClearBreakFlags) => deps.setExitCode(await (await order()).runClearBreak(symbol, flags, deps)));
  readOptions(command.command('show').description("an order's state and full history").argument('<clientOrderId>').option('--json')).action(
    async (id: string, flags: ReadFlags) => deps.setExitCode(await (await order()).runOrderShow(id, flags, deps)),
  );
}
