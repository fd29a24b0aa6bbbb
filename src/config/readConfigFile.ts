import { readFileSync } from 'node:fs';
import { ConfigError } from '../shared/configError.ts';
import type { ConfigLayer } from '../shared/configLayer.ts';

/** Reads one JSON config file as a layer; `undefined` when it is optional and absent. */
export function readConfigFile(filePath: string, options: { required: boolean; reason: string }): ConfigLayer | undefined {
  const source = `file ${filePath}`;
  let text: string;
  try {
    text = readFileSync(filePath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !options.required) return undefined;
    const problem = code === 'ENOENT' ? `file not found (${options.reason})` : `cannot read file: ${(error as Error).message}`;
    throw new ConfigError([{ path: '', problem, source }]);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([{ path: '', problem: `invalid JSON: ${(error as Error).message}`, source }]);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigError([{ path: '', problem: 'must be a JSON object', source }]);
  }
  return { data: data as Record<string, unknown>, sourceOf: () => source };
}
