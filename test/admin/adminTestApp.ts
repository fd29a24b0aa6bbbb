import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildAdminApp } from '../../src/admin/buildAdminApp.ts';
import { createMemoryLogger } from './memoryLogger.ts';
import { FakeRuntimeView } from './fakeRuntimeView.ts';

export const TEST_TOKEN = 'test-admin-token-0123456789';

/** A stand-in for the built console (`dist/console`), so no admin test depends on a build having run. */
export const CONSOLE_FIXTURE = fileURLToPath(new URL('./fixtures/console/', import.meta.url));

/** An admin app wired to a fake runtime and an in-memory logger, driven with fastify's `inject`. */
export function makeAdminTestApp(options: { token?: string | null; view?: FakeRuntimeView } = {}) {
  const view = options.view ?? new FakeRuntimeView();
  const logs = createMemoryLogger();
  const token = options.token === null ? undefined : (options.token ?? TEST_TOKEN);
  const app: FastifyInstance = buildAdminApp({ view, token, logger: logs.logger, consoleDir: CONSOLE_FIXTURE });
  return { app, view, logs };
}

export const authorized = { authorization: `Bearer ${TEST_TOKEN}` };
