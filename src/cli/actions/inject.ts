import { z } from 'zod';
import { reservedEventProblem } from '../../admin/reservedEvents.ts';
import type { DeliveryResult, InjectedEvent } from '../../admin/runtimeView.ts';
import { AdminApiError, postJson, reportFailure, resolveAdminToken, resolveAdminUrl } from '../adminClient.ts';
import { EXIT_OK, EXIT_USAGE, type CliDeps } from '../cliDeps.ts';
import type { InjectOptions } from '../commands/inject.ts';

export interface InjectResponse {
  accepted: true;
  systemId: string;
  delivery: Exclude<DeliveryResult, 'unknown'>;
  requestId: string;
}

const injectResponseSchema = z.object({
  accepted: z.literal(true),
  systemId: z.string(),
  delivery: z.enum(['delivered', 'buffered']),
  requestId: z.string(),
});

export async function postEvent(baseUrl: string, systemId: string, event: InjectedEvent, token: string | undefined): Promise<InjectResponse> {
  const body = await postJson(baseUrl, `/actors/${encodeURIComponent(systemId)}/events`, event, token);
  const parsed = injectResponseSchema.safeParse(body);
  if (!parsed.success) throw new AdminApiError(202, 'invalid_response', `${baseUrl} answered with an unexpected body; is it a tradewire admin API?`);
  return parsed.data;
}

export async function runInject(systemId: string, eventJson: string, options: InjectOptions, deps: CliDeps): Promise<number> {
  const parsed = parseEventArgument(eventJson);
  if ('problem' in parsed) {
    deps.err(`error: ${parsed.problem}`);
    return EXIT_USAGE;
  }
  try {
    const url = resolveAdminUrl(options.url, deps.env);
    const result = await postEvent(url, systemId, parsed.event, resolveAdminToken(options.token, deps.env));
    deps.out(`${result.delivery}: ${parsed.event.type} -> ${result.systemId} (request id ${result.requestId})`);
    return EXIT_OK;
  } catch (error) {
    return reportFailure(error, deps);
  }
}

export function parseEventArgument(text: string): { event: InjectedEvent } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problem: `the event is not valid JSON (${(error as Error).message}); quote it, e.g. '{"type":"RECONNECT"}'` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { problem: 'the event must be a JSON object, e.g. \'{"type":"RECONNECT"}\'' };
  }
  if (typeof (value as { type?: unknown }).type !== 'string' || (value as { type: string }).type === '') {
    return { problem: 'the event needs a non-empty string "type", e.g. \'{"type":"RECONNECT"}\'' };
  }
  // The server refuses these too; saying so here spares the round trip (broker-origin ones it may take, in testing).
  const reserved = reservedEventProblem((value as { type: string }).type);
  if (reserved) return { problem: reserved };
  return { event: value as InjectedEvent };
}
