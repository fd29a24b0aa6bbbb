import { z } from 'zod';
import type { CliDeps } from '../cliDeps.ts';
import { runOperatorAction } from '../operatorAction.ts';
import type { HaltOptions } from '../commands/halt.ts';

const haltedSchema = z.object({ halted: z.literal(true), causes: z.array(z.string()), auditSeq: z.number(), cancelRequested: z.number(), requestId: z.string() });

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
