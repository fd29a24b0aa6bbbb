import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { z } from 'zod';
import { AdminApiError, EXIT_OK, EXIT_USAGE, postJson, processCliDeps, reportFailure, resolveAdminToken, resolveAdminUrl, type CliDeps } from '../adminClient';

export interface ResumeOptions {
  reason?: string;
  operator?: string;
  url?: string;
  token?: string;
}

const resumedSchema = z.object({ resumed: z.literal(true), cleared: z.array(z.string()), auditSeq: z.number(), requestId: z.string() });

/** `tradewire resume --reason ...`: lets a halted order intake run again, recorded in the audit trail. */
export function registerResumeCommand(program: Command, deps: CliDeps = processCliDeps()): void {
  program
    .command('resume')
    .description('let order intake run again after a halt (e.g. Redis lost its state); recorded in the audit trail with who and why')
    .option('--reason <text>', 'why intake may resume (required; goes into the audit trail)')
    .option('--operator <name>', 'who is resuming (default: your OS user name)')
    .option('--url <url>', 'admin API URL (default: $TRADEWIRE_ADMIN_URL or http://127.0.0.1:$TRADEWIRE_ADMIN_PORT)')
    .option('--token <token>', 'admin bearer token (default: $TRADEWIRE_ADMIN_TOKEN; prefer the env var, flags show in ps)')
    .action(async (options: ResumeOptions) => deps.setExitCode(await runResume(options, deps)));
}

export async function runResume(options: ResumeOptions, deps: CliDeps): Promise<number> {
  const reason = options.reason?.trim();
  if (!reason) {
    deps.err('error: --reason is required: say why order intake may resume, e.g. --reason "broker checked: no orders lost"');
    return EXIT_USAGE;
  }
  try {
    const url = resolveAdminUrl(options.url, deps.env);
    const operator = options.operator ?? `cli:${userInfo().username.replace(/\s+/g, '_')}`;
    const answer = resumedSchema.safeParse(await postJson(url, '/resume', { reason, operator }, resolveAdminToken(options.token, deps.env)));
    if (!answer.success) throw new AdminApiError(200, 'invalid_response', `${url} answered with an unexpected body; is it a tradewire admin API?`);
    const { cleared, auditSeq, requestId } = answer.data;
    deps.out(`resumed: order intake runs again (cleared: ${cleared.join(', ')}; audit seq ${auditSeq}, request id ${requestId})`);
    return EXIT_OK;
  } catch (error) {
    return reportFailure(error, deps);
  }
}
