import type { Command } from 'commander';
import { z } from 'zod';
import { processCliDeps, type CliDeps } from '../adminClient.ts';
import { runOperatorAction, withOperatorActionOptions, type OperatorActionOptions } from './operatorAction.ts';

export type ResumeOptions = OperatorActionOptions;

const resumedSchema = z.object({ resumed: z.literal(true), cleared: z.array(z.string()), auditSeq: z.number(), requestId: z.string() });

/** `tradewire resume --reason ...`: lets a halted order intake run again, recorded in the audit trail. */
export function registerResumeCommand(program: Command, deps: CliDeps = processCliDeps()): void {
  withOperatorActionOptions(
    program.command('resume').description('let order intake run again after a halt (e.g. Redis lost its state); recorded in the audit trail with who and why'),
    'why intake may resume (required; goes into the audit trail)',
  ).action(async (options: ResumeOptions) => deps.setExitCode(await runResume(options, deps)));
}

export function runResume(options: ResumeOptions, deps: CliDeps): Promise<number> {
  return runOperatorAction(options, deps, {
    path: '/resume',
    missingReason: 'say why order intake may resume, e.g. --reason "broker checked: no orders lost"',
    answer: resumedSchema,
    describe: ({ cleared, auditSeq, requestId }) => `resumed: order intake runs again (cleared: ${cleared.join(', ')}; audit seq ${auditSeq}, request id ${requestId})`,
  });
}
