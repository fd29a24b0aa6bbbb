import type { Command } from 'commander';
import { processCliDeps, type CliDeps } from '../cliDeps.ts';
import { withOperatorActionOptions, type OperatorActionOptions } from '../options.ts';

export interface HaltOptions extends OperatorActionOptions {
  cancelAll?: boolean;
}

/** `tradewire halt --reason ... [--cancel-all]`: the kill switch, through the admin API (token, audit). */
export function registerHaltCommand(program: Command, deps: CliDeps = processCliDeps()): void {
  withOperatorActionOptions(
    program
      .command('halt')
      .description('kill switch: refuse new orders that add risk until `tradewire resume` (cancels and risk-reducing orders still go); kept across restarts; recorded in the audit trail'),
    'why (required; goes into the audit trail)',
  )
    .option('--cancel-all', 'also ask every working order to cancel')
    .action(async (options: HaltOptions) => {
      const { runHalt } = await import('../actions/halt.ts');
      deps.setExitCode(await runHalt(options, deps));
    });
}
