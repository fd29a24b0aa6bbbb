import { userInfo } from 'node:os';
import type { Command } from 'commander';
import type { ZodType } from 'zod';
import { AdminApiError, EXIT_OK, EXIT_USAGE, postJson, reportFailure, resolveAdminToken, resolveAdminUrl, type CliDeps } from '../adminClient';

/** The options every operator action on the halt switch takes. */
export interface OperatorActionOptions {
  reason?: string;
  operator?: string;
  url?: string;
  token?: string;
}

export function withOperatorActionOptions(command: Command, reasonHelp: string): Command {
  return command
    .option('--reason <text>', reasonHelp)
    .option('--operator <name>', 'who is acting (default: your OS user name)')
    .option('--url <url>', 'admin API URL (default: $TRADEWIRE_ADMIN_URL or http://127.0.0.1:$TRADEWIRE_ADMIN_PORT)')
    .option('--token <token>', 'admin bearer token (default: $TRADEWIRE_ADMIN_TOKEN; prefer the env var, flags show in ps)');
}

/**
 * An operator action through the admin API (so the token and the audit trail apply): `--reason` is
 * required, the operator defaults to the OS user, and the answer is checked against `answer`.
 */
export async function runOperatorAction<T>(
  options: OperatorActionOptions,
  deps: CliDeps,
  action: { path: string; missingReason: string; body?: Record<string, unknown>; answer: ZodType<T>; describe(answer: T): string },
): Promise<number> {
  const reason = options.reason?.trim();
  if (!reason) {
    deps.err(`error: --reason is required: ${action.missingReason}`);
    return EXIT_USAGE;
  }
  try {
    const url = resolveAdminUrl(options.url, deps.env);
    const operator = options.operator ?? `cli:${userInfo().username.replace(/\s+/g, '_')}`;
    const answer = action.answer.safeParse(await postJson(url, action.path, { reason, operator, ...action.body }, resolveAdminToken(options.token, deps.env)));
    if (!answer.success) throw new AdminApiError(200, 'invalid_response', `${url} answered with an unexpected body; is it a tradewire admin API?`);
    deps.out(action.describe(answer.data));
    return EXIT_OK;
  } catch (error) {
    return reportFailure(error, deps);
  }
}
