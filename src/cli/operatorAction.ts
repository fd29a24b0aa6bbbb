import { userInfo } from 'node:os';
import type { ZodType } from 'zod';
import { AdminApiError, postJson, reportFailure, requireAdminToken, resolveAdminUrl } from './adminClient.ts';
import { EXIT_OK, EXIT_USAGE, type CliDeps } from './cliDeps.ts';
import type { AdminTargetOptions, OperatorActionOptions } from './options.ts';

/** A change through the admin API: what to POST where, the answer expected, and how to say what happened. */
export interface AdminMutation<T> {
  path: string;
  body: Record<string, unknown>;
  answer: ZodType<T>;
  describe(answer: T): string;
}

/**
 * POSTs a change to the admin API with the operator token, so the runtime carries it out under
 * its namespace, checks it, and records it in the audit trail; the CLI never writes Redis itself.
 * Without a token nothing is sent (exit 2); an unreachable API or a refusal is exit 1, with the
 * API's own explanation.
 */
export async function runAdminMutation<T>(options: AdminTargetOptions, deps: CliDeps, mutation: AdminMutation<T>): Promise<number> {
  try {
    const url = resolveAdminUrl(options.url, deps.env);
    const token = requireAdminToken(options.token, deps.env);
    const answer = mutation.answer.safeParse(await postJson(url, mutation.path, mutation.body, token));
    if (!answer.success) throw new AdminApiError(200, 'invalid_response', `${url} answered with an unexpected body; is it a tradewire admin API?`);
    deps.out(mutation.describe(answer.data));
    return EXIT_OK;
  } catch (error) {
    return reportFailure(error, deps);
  }
}

/**
 * An operator action on the halt switch: `--reason` is required, the operator defaults to the OS
 * user, and both go into the audit trail with the request.
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
  const operator = options.operator ?? `cli:${userInfo().username.replace(/\s+/g, '_')}`;
  return runAdminMutation(options, deps, { path: action.path, body: { reason, operator, ...action.body }, answer: action.answer, describe: action.describe });
}
