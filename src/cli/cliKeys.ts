import { ConfigError, loadConfig } from '../config/index.ts';
import { configuredKeys, type ConfiguredKeys } from '../redis/namespaceKeys.ts';

/**
 * The keys a runtime configured like this CLI writes, so a read finds what that runtime wrote:
 * the configuration as `tradewire start` loads it (config files, TRADEWIRE_NAMESPACE and the other
 * variables in `env`), with `--namespace` over it. A bad namespace or configuration is the
 * caller's usage error, naming the key.
 */
export function cliKeys(namespaceFlag: string | undefined, env: NodeJS.ProcessEnv, usageError: (message: string) => Error): ConfiguredKeys {
  try {
    return configuredKeys(loadConfig({ env, ...(namespaceFlag === undefined ? {} : { overrides: { namespace: namespaceFlag } }) }));
  } catch (error) {
    if (error instanceof ConfigError) throw usageError(`invalid configuration (--namespace or the config tradewire loads): ${error.message}`);
    throw error;
  }
}
