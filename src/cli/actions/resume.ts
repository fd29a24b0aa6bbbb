import { z } from 'zod';
import type { CliDeps } from '../cliDeps.ts';
import { runOperatorAction } from '../operatorAction.ts';
import type { ResumeOptions } from '../commands/resume.ts';

const resumedSchema = z.object({ resumed: z.literal(true), cleared: z.array(z.string()), auditSeq: z.number(), requestId: z.string() });

export function runResume(options: ResumeOptions, deps: CliDeps): Promise<number> {
  return runOperatorAction(options, deps, {
    path: '/resume',
    missingReason: 'say why order intake may resume, e.g. --reason "broker checked: no orders lost"',
    answer: resumedSchema,
    describe: ({ cleared, auditSeq, requestId }) => `resumed: order intake runs again (cleared: ${cleared.join(', ')}; audit seq ${auditSeq}, request id ${requestId})`,
  });
}
