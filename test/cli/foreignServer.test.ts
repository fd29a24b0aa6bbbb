import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cliHarness.ts';

// Something else listening where the admin API was expected.
let foreign: Server;
let url: string;
beforeAll(async () => {
  foreign = createServer((request, response) => {
    if (request.url === '/actors') response.end('<html>hello</html>');
    else response.writeHead(202, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => foreign.close(() => resolve())));

describe('talking to something that is not the admin API', () => {
  it('actors says the answer was not JSON', async () => {
    const run = await runCli(['actors', '--url', url]);
    expect(run.exitCode).toBe(1);
    expect(run.err).toContain('did not answer with JSON');
  });

  it('inject says the answer was unexpected', async () => {
    const run = await runCli(['inject', 'root', '{"type":"X"}', '--url', url, '--token', 't']);
    expect(run.exitCode).toBe(1);
    expect(run.err).toContain('unexpected body');
  });
});
