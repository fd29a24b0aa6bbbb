import { PACKAGE_ROOT } from '../packageRoot.ts';
import path from 'node:path';
import { ConfigError, type ConfigIssue } from '../shared/configError.ts';
import { issuesFromZod, type ConfigLayer } from '../shared/configLayer.ts';
import { CONFIG_FILE_ENV_VAR, envValue, readEnvLayer } from './envVars.ts';
import { leafPaths, mergeConfig } from './mergeConfig.ts';
import { readConfigFile } from './readConfigFile.ts';
import { configSchema, partialConfigSchema, type Config, type DeepPartial } from './schema.ts';

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  /** Directory holding `config/`. Defaults to the tradewire package root so the CLI works from any directory. */
  cwd?: string;
  /** Highest precedence, typically parsed CLI flags; `undefined` values are ignored. */
  overrides?: DeepPartial<Config>;
}


/**
 * Precedence, lowest first: config/default.json, config/local.json (optional), the file named by
 * TRADEWIRE_CONFIG, environment variables, `overrides`. Throws ConfigError naming key, problem and source.
 */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const root = options.cwd ?? PACKAGE_ROOT;
  const layers: ConfigLayer[] = [];

  const addFile = (filePath: string, required: boolean, reason: string) => {
    const layer = readConfigFile(filePath, { required, reason });
    if (layer) layers.push(layer);
  };
  addFile(path.join(root, 'config', 'default.json'), true, 'the defaults ship with tradewire');
  addFile(path.join(root, 'config', 'local.json'), false, 'optional');
  const named = envValue(env, CONFIG_FILE_ENV_VAR);
  if (named !== undefined) addFile(path.resolve(named), true, `named by ${CONFIG_FILE_ENV_VAR}`);
  layers.push(readEnvLayer(env));
  if (options.overrides) {
    layers.push({ data: options.overrides as Record<string, unknown>, sourceOf: () => 'command-line overrides' });
  }

  const issues: ConfigIssue[] = [];
  for (const layer of layers) {
    const result = partialConfigSchema.safeParse(layer.data);
    if (!result.success) issues.push(...issuesFromZod(result.error, layer));
  }
  if (issues.length > 0) throw new ConfigError(issues);

  return validateMerged(layers);
}

function validateMerged(layers: ConfigLayer[]): Config {
  const sources = new Map<string, string>();
  let merged: Record<string, unknown> = {};
  for (const layer of layers) {
    for (const leaf of leafPaths(layer.data)) sources.set(leaf, layer.sourceOf(leaf));
    merged = mergeConfig(merged, layer.data);
  }
  const result = configSchema.safeParse(merged);
  if (result.success) return result.data;
  const mergedLayer: ConfigLayer = {
    data: merged,
    // A key missing everywhere belongs in default.json; a cross-field clash is reported against the last setter.
    sourceOf: (keyPath) => sources.get(keyPath) ?? 'merged configuration (is config/default.json complete?)',
  };
  throw new ConfigError(issuesFromZod(result.error, mergedLayer));
}
