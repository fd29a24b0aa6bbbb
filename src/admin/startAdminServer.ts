import type { AddressInfo } from 'node:net';
import type { Logger } from '../log/logger.ts';
import type { RuntimeView } from './runtimeView.ts';
import { buildAdminApp } from './buildAdminApp.ts';
import { isLoopbackHost } from './loopback.ts';

export interface AdminServerOptions {
  view: RuntimeView;
  /** Defaults to loopback, where reads need no token; beyond it every read but the probes needs one. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** The operator token (every route); without one mutating routes answer 403. */
  token?: string;
  /** The read-only token (reads only). Equal to `token` is refused: the server does not start. */
  readToken?: string;
  logger: Logger;
  /** Browser sessions (`admin.session`); 12 hours, no `Secure` cookie by default. */
  session?: { ttlMs: number; secureCookie: boolean };
  /** Where the built console is (default: the package's `dist/console`). */
  consoleDir?: string;
}

export interface AdminServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startAdminServer(options: AdminServerOptions): Promise<AdminServer> {
  const { view, host = '127.0.0.1', port, token, readToken, logger, session, consoleDir } = options;
  const app = buildAdminApp({ view, token, readToken, host, logger, ...(session ? { session } : {}), ...(consoleDir ? { consoleDir } : {}) });
  try {
    await app.listen({ host, port });
  } catch (error) {
    await app.close();
    throw error;
  }

  const address = app.server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${shownHost}:${address.port}`;
  const readsNeedToken = !isLoopbackHost(host);
  logger.info(`admin listening on ${url}`, { host: address.address, port: address.port, console: `${url}/`, mutationsEnabled: token !== undefined, readTokenConfigured: readToken !== undefined, readsNeedToken });
  if (readsNeedToken && token === undefined && readToken === undefined) {
    logger.warn('admin API bound beyond loopback without any token: only the probes (/health, /ready, /active) answer; set TRADEWIRE_READ_TOKEN or TRADEWIRE_ADMIN_TOKEN', { host });
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
