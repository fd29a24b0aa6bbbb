import { readFile } from 'node:fs/promises';
import type { ReportTransportConfig } from '../pipeline/reportsConfig.ts';
import { FileDropTransport } from './fileDropTransport.ts';
import { HttpsTransport } from './httpsTransport.ts';
import type { ReportTransport } from './reportTransport.ts';
import { errorMessage } from '../../shared/errorMessage.ts';

export interface TransportSetup {
  env: NodeJS.ProcessEnv;
  /** Names the config key in errors, e.g. `reports.transports.CFTC`. */
  where: string;
}

/** Builds a configured transport; a token variable that is not set or an unreadable CA file is a clear startup error. */
export async function transportFromConfig(config: ReportTransportConfig, { env, where }: TransportSetup): Promise<ReportTransport> {
  if (config.kind === 'file') return new FileDropTransport(config);
  let bearerToken: string | undefined;
  if (config.bearerTokenEnv) {
    bearerToken = env[config.bearerTokenEnv];
    if (!bearerToken) throw new Error(`${where}.bearerTokenEnv names ${config.bearerTokenEnv}, which is not set (it must hold the endpoint's bearer token)`);
  }
  let ca: Buffer | undefined;
  if (config.caFile) {
    try {
      ca = await readFile(config.caFile);
    } catch (error) {
      throw new Error(`${where}.caFile ${config.caFile} cannot be read: ${errorMessage(error)}`);
    }
  }
  return new HttpsTransport({ url: config.url, timeoutMs: config.timeoutMs, ...(bearerToken ? { bearerToken } : {}), ...(ca ? { ca } : {}) });
}
