import { errorMessage } from '../src/shared/errorMessage.ts';
export interface AdminAnswer {
  /** 0 when nothing answered (refused, reset, timed out). */
  status: number;
  body: string;
}

export interface AdminRequest {
  method?: 'GET' | 'POST';
  /** Sent as JSON unless `raw` is given. */
  json?: unknown;
  /** A body sent as is, with its content type (for malformed input). */
  raw?: { body: string; contentType: string };
  timeoutMs?: number;
}

/** The runtime's admin API, called the way an operator's tool would: with the bearer token. */
export class AdminClient {
  constructor(
    private readonly baseUrl: () => string,
    private readonly token: string,
  ) {}

  async call(path: string, request: AdminRequest = {}): Promise<AdminAnswer> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}` };
    let body: string | undefined;
    if (request.raw) {
      headers['content-type'] = request.raw.contentType;
      body = request.raw.body;
    } else if (request.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.json);
    }
    try {
      const response = await fetch(`${this.baseUrl()}${path}`, {
        method: request.method ?? 'POST',
        headers,
        ...(body !== undefined ? { body } : {}),
        signal: AbortSignal.timeout(request.timeoutMs ?? 5_000),
      });
      return { status: response.status, body: (await response.text()).slice(0, 500) };
    } catch (error) {
      return { status: 0, body: errorMessage(error) };
    }
  }
}
