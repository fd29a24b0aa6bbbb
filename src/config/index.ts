export { loadConfig, type LoadConfigOptions } from './loadConfig.ts';
export { ConfigError, type ConfigIssue } from '../shared/configError.ts';
export { describeConfigForLog } from './describeConfigForLog.ts';
export { configSummary } from './configSummary.ts';
export { ENV_VARS, CONFIG_FILE_ENV_VAR } from './envVars.ts';
export { configSchema, type Config, type DeepPartial, LOG_LEVELS, BROKER_MODES } from './schema.ts';
