import { afterEach, describe, expect, it } from 'vitest';
import { HttpsTransport } from '../../../src/regulatory/transports/httpsTransport.ts';
import { PermanentTransportError, RetryableTransportError } from '../../../src/regulatory/transports/transportErrors.ts';
import { TEST_CA, TestEndpoint } from './testEndpoint.ts';
import { TEST_REPORT } from './testEngine.ts';

const TOKEN = 'sekrit-bearer-4f9a';

const report = TEST_REPORT;

let endpoint: TestEndpoint;
afterEach(async () => {
  await endpoint?.close();
});

function transport(overrides: Partial<ConstructorParameters<typeof HttpsTransport>[0]> = {}) {
  return new HttpsTransport({ url: endpoint.url, bearerToken: TOKEN, timeoutMs: 2_000, ca: TEST_CA, ...overrides });
}

describe('HTTPS transport against a real TLS endpoint', () => {
  it('POSTs the body with the bearer token and the report id as Idempotency-Key, and reads the acknowledgement', async () => {
    endpoint = await TestEndpoint.start(true);
    const https = transport();
    const receipt = await https.submit(report);
    expect(endpoint.posts).toEqual([{ idempotencyKey: report.id, authorization: `Bearer ${TOKEN}`, contentType: 'text/plain', body: report.body }]);
    expect(receipt).toMatchObject({ reportId: report.id, transport: 'https', reference: 'REF-1', alreadyFiled: false, ack: { status: 'accepted' } });
    await expect(https.awaitAck(receipt, { timeoutMs: 1 })).resolves.toMatchObject({ reportId: report.id, status: 'accepted' });
  });

  it('passes a rejection and its reason through as the acknowledgement', async () => {
    endpoint = await TestEndpoint.start(true);
    endpoint.responder = () => ({ status: 200, body: JSON.stringify({ status: 'rejected', reason: 'unknown reporting firm' }) });
    const receipt = await transport().submit(report);
    expect(receipt.ack).toMatchObject({ status: 'rejected', reason: 'unknown reporting firm' });
  });

  it('treats 409 as already filed: a success, not a second filing', async () => {
    endpoint = await TestEndpoint.start(true);
    endpoint.responder = (post, self) => self.fileOrConflict(post);
    const first = await transport().submit(report);
    const second = await transport().submit(report);
    expect(first.alreadyFiled).toBe(false);
    expect(second).toMatchObject({ alreadyFiled: true, ack: { status: 'accepted' } });
    expect(endpoint.filed.size).toBe(1);
  });

  it.each([500, 502, 503, 408, 429])('makes HTTP %i retryable', async (status) => {
    endpoint = await TestEndpoint.start(true);
    endpoint.responder = () => ({ status, body: 'try later' });
    await expect(transport().submit(report)).rejects.toThrow(RetryableTransportError);
  });

  it.each([400, 401, 403, 404, 422])('makes HTTP %i permanent, naming the status', async (status) => {
    endpoint = await TestEndpoint.start(true);
    endpoint.responder = () => ({ status, body: '{"error":"bad"}' });
    const error = await transport().submit(report).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(PermanentTransportError);
    expect((error as Error).message).toContain(`HTTP ${status}`);
  });

  it('makes a 2xx it cannot read retryable (the Idempotency-Key makes the retry safe)', async () => {
    endpoint = await TestEndpoint.start(true);
    endpoint.responder = () => ({ status: 200, body: '<html>ok</html>' });
    await expect(transport().submit(report)).rejects.toThrow(/unreadable body/);
  });

  it('gives up after the timeout with a retryable error', async () => {
    endpoint = await TestEndpoint.start(true);
    endpoint.responder = () => 'hang';
    const error = await transport({ timeoutMs: 100 }).submit(report).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(RetryableTransportError);
    expect((error as Error).message).toMatch(/no answer within 100 ms/);
  });

  it('refuses an endpoint whose certificate it does not trust (retryable, it may be mid-rotation)', async () => {
    endpoint = await TestEndpoint.start(true);
    await expect(new HttpsTransport({ url: endpoint.url, bearerToken: TOKEN, timeoutMs: 2_000 }).submit(report)).rejects.toThrow(RetryableTransportError);
    expect(endpoint.posts).toHaveLength(0);
  });

  it('makes a refused connection retryable', async () => {
    endpoint = await TestEndpoint.start(false);
    const url = endpoint.url;
    await endpoint.close();
    await expect(new HttpsTransport({ url, timeoutMs: 1_000 }).submit(report)).rejects.toThrow(RetryableTransportError);
  });

  it('never puts the bearer token (or URL credentials) in its target or errors', async () => {
    endpoint = await TestEndpoint.start(false);
    endpoint.responder = () => ({ status: 403, body: 'forbidden' });
    const withCredentials = endpoint.url.replace('http://', `http://user:${TOKEN}@`) + `?key=${TOKEN}`;
    const https = new HttpsTransport({ url: withCredentials, bearerToken: TOKEN, timeoutMs: 1_000 });
    const error = (await https.submit(report).catch((thrown: unknown) => thrown)) as Error;
    expect(https.target).not.toContain(TOKEN);
    expect(`${error.message} ${error.stack}`).not.toContain(TOKEN);
  });

  it('refuses a non-HTTP URL and a non-positive timeout with a clear error', () => {
    expect(() => new HttpsTransport({ url: 'ftp://example.test/x', timeoutMs: 1 })).toThrow(/https:\/\/ URL/);
    expect(() => new HttpsTransport({ url: 'https://example.test/x', timeoutMs: 0 })).toThrow(/timeoutMs/);
  });
});
