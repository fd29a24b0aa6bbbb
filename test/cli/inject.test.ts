import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminServer } from '../../src/admin/index.ts';
import { parseEventArgument } from '../../src/cli/actions/inject.ts';
import type { FakeRuntimeView } from '../admin/fakeRuntimeView.ts';
import { runCli } from './cliHarness.ts';
import { CLI_TEST_TOKEN, startLiveAdmin, unusedPort } from './liveServer.ts';

let server: AdminServer;
let view: FakeRuntimeView;
let tokenless: AdminServer;
beforeAll(async () => {
  ({ server, view } = await startLiveAdmin());
  ({ server: tokenless } = await startLiveAdmin(null));
});
afterAll(async () => {
  await server.close();
  await tokenless.close();
});

describe('tradewire inject', () => {
  it('posts the event with the --token flag and prints the delivery result', async () => {
    const run = await runCli(['inject', 'ib-connection', '{"type":"RECONNECT","reason":"ops"}', '--url', server.url, '--token', CLI_TEST_TOKEN]);
    expect(run.exitCode).toBe(0);
    expect(run.out).toMatch(/^delivered: RECONNECT -> ib-connection \(request id [0-9a-f-]{36}\)$/);
    expect(view.delivered.at(-1)).toMatchObject({ systemId: 'ib-connection', event: { type: 'RECONNECT', reason: 'ops' } });
  });

  it('takes URL and token from the environment and reports buffering', async () => {
    const run = await runCli(['inject', 'market-data', '{"type":"SUBSCRIBE"}'], {
      TRADEWIRE_ADMIN_URL: server.url,
      TRADEWIRE_ADMIN_TOKEN: CLI_TEST_TOKEN,
    });
    expect(run.exitCode).toBe(0);
    expect(run.out).toMatch(/^buffered: SUBSCRIBE -> market-data/);
  });

  it('prints the API error for an unknown actor and exits 1', async () => {
    const run = await runCli(['inject', 'nobody', '{"type":"X"}', '--url', server.url, '--token', CLI_TEST_TOKEN]);
    expect(run.exitCode).toBe(1);
    expect(run.err).toContain('no actor with systemId "nobody"');
    expect(run.out).toBe('');
  });

  it('prints the API error for a wrong token', async () => {
    const run = await runCli(['inject', 'root', '{"type":"X"}', '--url', server.url, '--token', 'wrong']);
    expect(run.exitCode).toBe(1);
    expect(run.err).toContain('invalid bearer token');
  });

  it('relays that mutations are disabled when the server has no token', async () => {
    const run = await runCli(['inject', 'root', '{"type":"X"}', '--url', tokenless.url, '--token', 'anything']);
    expect(run.exitCode).toBe(1);
    expect(run.err).toContain('no TRADEWIRE_ADMIN_TOKEN is configured');
  });

  it.each([['{type:"X"}'], ['not json'], ['[1,2]'], ['{"kind":"X"}'], ['{"type":5}'], ['"RECONNECT"']])(
    'rejects the event argument %s with exit code 2 and sends nothing',
    async (argument) => {
      const before = view.delivered.length;
      const run = await runCli(['inject', 'root', argument, '--url', server.url, '--token', CLI_TEST_TOKEN]);
      expect(run.exitCode).toBe(2);
      expect(run.err).toMatch(/^error: the event/);
      expect(view.delivered.length).toBe(before);
    },
  );

  it('validates the event before touching the network', async () => {
    const run = await runCli(['inject', 'root', 'nope', '--url', `http://127.0.0.1:${await unusedPort()}`]);
    expect(run.exitCode).toBe(2);
    expect(run.err).not.toContain('cannot reach');
  });

  it('explains an unreachable server', async () => {
    const url = `http://127.0.0.1:${await unusedPort()}`;
    const run = await runCli(['inject', 'root', '{"type":"X"}', '--url', url, '--token', CLI_TEST_TOKEN]);
    expect(run.exitCode).toBe(1);
    expect(run.err).toContain(`cannot reach the tradewire admin API at ${url}`);
    expect(run.err).toContain('tradewire start');
  });

  it('encodes awkward actor ids into the path', async () => {
    const run = await runCli(['inject', '../health', '{"type":"X"}', '--url', server.url, '--token', CLI_TEST_TOKEN]);
    expect(run.exitCode).toBe(1);
    expect(run.err).toContain('no actor with systemId "../health"');
  });

  it('fails as a usage error when arguments are missing', async () => {
    const run = await runCli(['inject', 'root']);
    expect(run.exitCode).toBe(1);
    expect(run.err).toContain("missing required argument 'event'");
  });
});

describe('parseEventArgument', () => {
  it('keeps every field of a valid event', () => {
    expect(parseEventArgument('{"type":"ORDER","qty":2,"meta":{"a":[1]}}')).toEqual({ event: { type: 'ORDER', qty: 2, meta: { a: [1] } } });
  });
});
