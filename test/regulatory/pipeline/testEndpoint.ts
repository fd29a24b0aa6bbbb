import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

const FIXTURES = join(import.meta.dirname, 'fixtures');
export const TEST_CA = readFileSync(join(FIXTURES, 'test-only-endpoint.cert.pem'));
const TEST_KEY = readFileSync(join(FIXTURES, 'test-only-endpoint.key.pem'));

export interface ReceivedPost {
  idempotencyKey: string | undefined;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
}

export type Responder = (post: ReceivedPost, endpoint: TestEndpoint) => { status: number; body?: string } | 'hang';

/**
 * A regulator's endpoint that keeps Idempotency-Keys like a real one: the first accepted POST of a
 * key is filed, later POSTs of that key get 409. What it answers otherwise is up to the test.
 */
export class TestEndpoint {
  readonly posts: ReceivedPost[] = [];
  /** Idempotency-Key → body, for every report actually filed. */
  readonly filed = new Map<string, string>();
  responder: Responder = () => ({ status: 200, body: JSON.stringify({ status: 'accepted', reference: 'REF-1' }) });
  private readonly hung = new Set<ServerResponse>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(tls: boolean): Promise<TestEndpoint> {
    let endpoint!: TestEndpoint;
    const handler = (request: IncomingMessage, response: ServerResponse) => endpoint.handle(request, response);
    const server = tls ? createHttpsServer({ key: TEST_KEY, cert: TEST_CA }, handler) : createHttpServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    endpoint = new TestEndpoint(server, `${tls ? 'https' : 'http'}://127.0.0.1:${port}/v1/reports`);
    return endpoint;
  }

  /** Files it (unless already filed) and answers accepted, or 409 for a key already filed. */
  fileOrConflict(post: ReceivedPost): { status: number; body: string } {
    const key = post.idempotencyKey ?? '';
    if (this.filed.has(key)) return { status: 409, body: JSON.stringify({ error: 'already filed' }) };
    this.filed.set(key, post.body);
    return { status: 200, body: JSON.stringify({ status: 'accepted', reference: `REF-${this.filed.size}` }) };
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const post: ReceivedPost = {
        idempotencyKey: header(request, 'idempotency-key'),
        authorization: header(request, 'authorization'),
        contentType: header(request, 'content-type'),
        body: Buffer.concat(chunks).toString('utf8'),
      };
      this.posts.push(post);
      const answer = this.responder(post, this);
      if (answer === 'hang') {
        this.hung.add(response);
        return;
      }
      response.writeHead(answer.status, { 'content-type': 'application/json' });
      response.end(answer.body ?? '');
    });
  }

  async close(): Promise<void> {
    for (const response of this.hung) response.destroy();
    this.server.closeAllConnections?.();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
