import type { AddressInfo } from 'node:net';
import type { Logger } from '../log/logger';
import type { RuntimeView } from '../runtime/runtimeView';
import { buildAdminApp } from './buildAdminApp';

export interface AdminServerOptions {
  view: RuntimeView;
  /** Defaults to loopback: the read routes are unauthenticated. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** Bearer token for mutating routes; without one they answer 403. */
  token?: string;
  logger: Logger;
}

export interface AdminServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export async function startAdminServer(options: AdminServerOptions): Promise<AdminServer> {
  const { view, host = '127.0.0.1', port, token, logger } = options;
  const app = buildAdminApp({ view, token, logger });
  try {
    await app.listen({ host, port });
  } catch (error) {
    await app.close();
    throw error;
  }

  const address = app.server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${shownHost}:${address.port}`;
  logger.info(`admin listening on ${url}`, { host: address.address, port: address.port, mutationsEnabled: token !== undefined });
  if (!LOOPBACK.has(host)) {
    logger.warn('admin API bound to a non-loopback address; its read routes need no token', { host });
  }

  let closing: Promise<void> | undefined;
  return {
    url,
    port: address.port,
    close: () => (closing ??= app.close().then(() => {
      logger.info('admin server closed', { port: address.port });
    })),
  };
}
