import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdminServer, type AdminServer } from '../../src/admin/index.ts';
import { createSilentLogger } from '../../src/log/logger.ts';
import { formatActorTree } from '../../src/cli/actions/actors.ts';
import { FakeRuntimeView, sampleTree } from '../admin/fakeRuntimeView.ts';
import { runCli } from './cliHarness.ts';
import { startLiveAdmin, unusedPort } from './liveServer.ts';

let server: AdminServer;
beforeAll(async () => {
  ({ server } = await startLiveAdmin());
});
afterAll(() => server.close());

describe('tradewire actors', () => {
  it('prints the tree indented, one actor per line', async () => {
    const run = await runCli(['actors', '--url', server.url]);
    expect(run.exitCode).toBe(0);
    expect(run.out.split('\n')).toEqual([
      'root (supervisor)  state=-  running  restarts=0',
      '  ib-connection (ib-connection)  state={"connected":"streaming"}  running  restarts=2',
      '  market-data (machine)  state=reconnecting  restarting  restarts=5',
    ]);
    expect(run.err).toBe('');
  });

  it('prints raw JSON with --json', async () => {
    const run = await runCli(['actors', '--url', server.url, '--json']);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.out)).toEqual(sampleTree());
  });

  it('takes the URL from TRADEWIRE_ADMIN_URL', async () => {
    const run = await runCli(['actors'], { TRADEWIRE_ADMIN_URL: `${server.url}/` });
    expect(run.exitCode).toBe(0);
    expect(run.out).toContain('ib-connection');
  });

  it('falls back to TRADEWIRE_ADMIN_PORT on loopback', async () => {
    const run = await runCli(['actors'], { TRADEWIRE_ADMIN_PORT: String(server.port) });
    expect(run.exitCode).toBe(0);
    expect(run.out).toContain('market-data');
  });

  it('prefers --url over the environment', async () => {
    const run = await runCli(['actors', '--url', server.url], { TRADEWIRE_ADMIN_URL: 'http://127.0.0.1:1' });
    expect(run.exitCode).toBe(0);
  });

  it('explains an unreachable server, naming the URL and suggesting tradewire start', async () => {
    const url = `http://127.0.0.1:${await unusedPort()}`;
    const run = await runCli(['actors', '--url', url]);
    expect(run.exitCode).toBe(1);
    expect(run.err).toContain(url);
    expect(run.err).toContain('tradewire start');
    expect(run.out).toBe('');
  });

  it('rejects a malformed --url with exit code 2', async () => {
    const run = await runCli(['actors', '--url', 'not a url']);
    expect(run.exitCode).toBe(2);
    expect(run.err).toContain('invalid admin URL');
  });

  it('reports a server that is not the admin API', async () => {
    const run = await runCli(['actors', '--url', `${server.url}/nope`]);
    expect(run.exitCode).toBe(1);
    expect(run.err).toContain('no route GET /nope/actors');
  });
});

describe('formatActorTree', () => {
  it('indents grandchildren two levels', () => {
    const tree = sampleTree();
    tree.children[0]?.children.push({ ...sampleTree(), systemId: 'leaf', kind: 'machine', state: 'idle', children: [] });
    expect(formatActorTree(tree).split('\n')[2]).toBe('    leaf (machine)  state=idle  running  restarts=0');
  });
});

describe('tradewire actors against an admin API listening beyond loopback', () => {
  it('sends TRADEWIRE_READ_TOKEN (reads need a token there); without one the API refuses, clearly', async () => {
    const view = new FakeRuntimeView();
    const wide = await startAdminServer({ view, host: '0.0.0.0', port: 0, token: 'actors-operator-token', readToken: 'actors-read-token', logger: createSilentLogger() });
    try {
      const url = `http://127.0.0.1:${wide.port}`;
      const withRead = await runCli(['actors', '--url', url], { TRADEWIRE_READ_TOKEN: 'actors-read-token' });
      expect(withRead.exitCode).toBe(0);
      expect(withRead.out).toContain('ib-connection');
      const withOperator = await runCli(['actors', '--url', url], { TRADEWIRE_ADMIN_TOKEN: 'actors-operator-token' });
      expect(withOperator.exitCode).toBe(0);
      const without = await runCli(['actors', '--url', url]);
      expect(without.exitCode).toBe(1);
      expect(without.err).toBe('error: missing bearer token (HTTP 401 unauthorized)');
    } finally {
      await wide.close();
    }
  });
});
