import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { z } from 'zod';
import { AdminApiError, EXIT_OK, EXIT_USAGE, postJson, processCliDeps, reportFailure, resolveAdminToken, resolveAdminUrl, type CliDeps } from '../adminClient';

export interface HaltOptions {
  reason?: string;
  cancelAll?: boolean;
  operator?: string;
  url?: string;
  token?: string;
}

const haltedSchema = z.object({ halted: z.literal(true), causes: z.array(z.string()), auditSeq: z.number(), cancelRequested: z.number(), requestId: z.string() });

/** `tradewire halt --reason ... [--cancel-all]`: the kill switch, through the admin API (token, audit). */
export function registerHaltCommand(program: Command, deps: CliDeps = processCliDeps()): void {
  program
    .command('halt')
    .description('kill switch: refuse new orders that add risk until `tradewire resume` (cancels and risk-reducing orders still go); kept across restarts; recorded in the audit trail')
    .option('--reason <text>', 'why (required; goes into the audit trail)')
    .option('--cancel-all', 'also ask every working order to cancel')
    .option('--operator <name>', 'who is halting (default: your OS user name)')
    .option('--url <url>', 'admin API URL (default: $TRADEWIRE_ADMIN_URL or http://127.0.0.1:$TRADEWIRE_ADMIN_PORT)')
    .option('--token <token>', 'admin bearer token (default: $TRADEWIRE_ADMIN_TOKEN; prefer the env var, flags show in ps)')
    .action(async (options: HaltOptions) => deps.setExitCode(await runHalt(options, deps)));
}

export async function runHalt(options: HaltOptions, deps: CliDeps): Promise<number> {
  const reason = options.reason?.trim();
  if (!reason) {
    deps.err('error: --reason is required: say why order intake is halted, e.g. --reason "position check"');
    return EXIT_USAGE;
  }
  try {
    const url = resolveAdminUrl(options.url, deps.env);
    const operator = options.operator ?? `cli:${userInfo().username.replace(/\s+/g, '_')}`;
    const body = { reason, operator, cancelAll: options.cancelAll === true };
    const answer = haltedSchema.safeParse(await postJson(url, '/halt', body, resolveAdminToken(options.token, deps.env)));
    if (!answer.success) throw new AdminApiError(200, 'invalid_response', `${url} answered with an unexpected body; is it a tradewire admin API?`);
    const { causes, auditSeq, cancelRequested, requestId } = answer.data;
    const cancels = options.cancelAll ? `; ${cancelRequested} working orders asked to cancel` : '';
    deps.out(`halted: new orders that add risk are refused until \`tradewire resume\` (causes: ${causes.join(', ')}${cancels}; audit seq ${auditSeq}, request id ${requestId})`);
    return EXIT_OK;
  } catch (error) {
    return reportFailure(error, deps);
  }
}
