import { Command } from 'commander';
import { registerActorsCommand } from './commands/actors.ts';
import { registerGraphCommand } from './commands/graph.ts';
import { registerInjectCommand } from './commands/inject.ts';
import { registerSimCommand } from './commands/sim.ts';
import { registerDlqCommand } from './commands/dlq.ts';
import { registerOrderCommand } from './commands/order.ts';
import { registerStartCommand } from './commands/start.ts';
import { registerReportCommand } from './commands/report.ts';
import { registerAuditCommand } from './commands/audit.ts';
import { registerMdCommand } from './commands/md.ts';
import { registerHaltCommand } from './commands/halt.ts';
import { registerResumeCommand } from './commands/resume.ts';

/**
 * Every command, registered by name, options and help only: a command's code is imported when it
 * runs, so `tradewire --help` or `tradewire actors` never loads the runtime.
 */
export function buildProgram(): Command {
  const program = new Command('tradewire')
    .description('Supervised integration runtime: IB gateway, market data and regulatory reporting as XState actors')
    .version('0.1.0');
  registerStartCommand(program);
  registerActorsCommand(program);
  registerInjectCommand(program);
  registerGraphCommand(program);
  registerSimCommand(program);
  registerOrderCommand(program);
  registerDlqCommand(program);
  registerReportCommand(program, undefined, async () => (await import('./actions/report.ts')).configuredReportOptions());
  registerAuditCommand(program);
  registerMdCommand(program);
  registerHaltCommand(program);
  registerResumeCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv);
}
