import type { Command } from 'commander';
import { processCliDeps, type CliDeps } from '../cliDeps.ts';
import { withOperatorActionOptions, type OperatorActionOptions } from '../options.ts';

export type ResumeOptions = OperatorActionOptions;

/** `tradewire resume --reason ...`: lets a halted order intake run again, recorded in the audit trail. */
export function registerResumeCommand(program: Command, deps: CliDeps = processCliDeps()): void {
  withOperatorActionOptions(
    program.command('resume').description('let order intake run again after a halt (e.g. Redis lost its state); recorded in the audit trail with who and why'),
    'why intake may resume (required; goes into the audit trail)',
  ).action(async (options: ResumeOptions) => {
    const { runResume } = await import('../actions/resume.ts');
    deps.setExitCode(await runResume(options, deps));
  });
}
