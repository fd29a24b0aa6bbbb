import { Command, CommanderError } from 'commander';
import { EXIT_USAGE } from './cliDeps.ts';
import { exitQuietlyOnClosedPipe } from './closedPipe.ts';
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
    .version('0.1.0')
    // Set before the commands are added, so every subcommand inherits them.
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(flagProblem(text) ?? text) });
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

/** commander wraps a number flag's own message (numberFlags.ts) in one that repeats the flag and value. */
function flagProblem(text: string): string | undefined {
  const own = /^error: option '[^']*' argument '.*' is invalid\. (--[a-z0-9-]+: .*)$/s.exec(text)?.[1];
  return own === undefined ? undefined : `tradewire: ${own}`;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  const uninstall = exitQuietlyOnClosedPipe();
  // `tradewire start` writes its log to stdout for as long as it runs: a closed pipe must not stop trading at once.
  program.hook('preAction', (_program, command) => {
    if (command.name() === 'start') uninstall();
  });
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // Help and --version end with 0; every other commander error is a usage error, already printed.
    process.exitCode = error.exitCode === 0 ? 0 : EXIT_USAGE;
  }
}
