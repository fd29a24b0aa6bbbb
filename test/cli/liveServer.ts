import { createServer } from 'node:net';
import { startAdminServer, type AdminServer } from '../../src/admin/index.ts';
import { createSilentLogger } from '../../src/log/logger.ts';
import { FakeRuntimeView } from '../admin/fakeRuntimeView.ts';

export const CLI_TEST_TOKEN = 'cli-test-token-abcdef';

/** `null` starts a server without a token, whose mutating routes answer 403. */
export async function startLiveAdmin(token: string | null = CLI_TEST_TOKEN): Promise<{ server: AdminServer; view: FakeRuntimeView }> {
  const view = new FakeRuntimeView();
  const server = await startAdminServer({ view, port: 0, token: token ?? undefined, logger: createSilentLogger() });
  return { server, view };
}

/** A loopback port with nothing listening: bound once to learn a free number, then released. */
export async function unusedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
