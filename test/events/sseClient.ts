import http from 'node:http';
import { parseSse, type ParsedSse } from './sseText.ts';

/** A real HTTP client of `GET /events`: the text as it arrives, parsed on demand. */
export interface OpenStream {
  status: number;
  headers: http.IncomingHttpHeaders;
  text(): string;
  parsed(): ParsedSse;
  /** Resolves when the server ended the response (or the connection dropped). */
  ended: Promise<void>;
  close(): void;
}

export function openStream(url: string, headers: Record<string, string> = {}): Promise<OpenStream> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { accept: 'text/event-stream', ...headers } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      const ended = new Promise<void>((done) => {
        response.on('end', done);
        response.on('close', done);
      });
      resolve({
        status: response.statusCode ?? 0,
        headers: response.headers,
        text: () => text,
        parsed: () => parseSse(text),
        ended,
        close: () => request.destroy(),
      });
    });
    request.on('error', reject);
  });
}
