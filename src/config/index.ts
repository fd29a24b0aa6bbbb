export { loadConfig, type LoadConfigOptions } from './loadConfig';
export { ConfigError, type ConfigIssue } from './configError';
export { describeConfigForLog } from './describeConfigForLog';
export { ENV_VARS, CONFIG_FILE_ENV_VAR } from './envVars';
export { configSchema, type Config, type DeepPartial, LOG_LEVELS, BROKER_MODES } from './schema';
