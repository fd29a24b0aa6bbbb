import type { Command } from 'commander';
import { z } from 'zod';
import { processCliDeps, type CliDeps } from '../adminClient.ts';
import { runOperatorAction, withOperatorActionOptions, type OperatorActionOptions } from './operatorAction.ts';

export interface HaltOptions extends OperatorActionOptions {
  cancelAll?: boolean;
}

const haltedSchema = z.object({ halted: z.literal(true), causes: z.array(z.string()), auditSeq: z.number(), cancelRequested: z.number(), requestId: z.string() });

/** `tradewire halt --reason ... [--cancel-all]`: the kill switch, through the admin API (token, audit). */
export function registerHaltCommand(program: Command, deps: CliDeps = processCliDeps()): void {
  withOperatorActionOptions(
    program
      .command('halt')
      .description('kill switch: refuse new orders that add risk until `tradewire resume` (cancels and risk-reducing orders still go); kept across restarts; recorded in the audit trail'),
    'why (required; goes into the audit trail)',
  )
    .option('--cancel-all', 'also ask every working order to cancel')
    .action(async (options: HaltOptions) => deps.setExitCode(await runHalt(options, deps)));
}

export function runHalt(options: HaltOptions, deps: CliDeps): Promise<number> {
  return runOperatorAction(options, deps, {
    path: '/halt',
    missingReason: 'say why order intake is halted, e.g. --reason "position check"',
    body: { cancelAll: options.cancelAll === true },
    answer: haltedSchema,
    describe: ({ causes, auditSeq, cancelRequested, requestId }) => {
      const cancels = options.cancelAll ? `; ${cancelRequested} working orders asked to cancel` : '';
      return `halted: new orders that add risk are refused until \`tradewire resume\` (causes: ${causes.join(', ')}${cancels}; audit seq ${auditSeq}, request id ${requestId})`;
    },
  });
}
