import { readFileSync } from 'node:fs';
import { parseConfigFile, RegulatoryConfigFileError } from '../cftc/levels/loadLevelConfig.ts';
import { positionDaysSchema, StaticPositionSource } from '../positionSource.ts';

/**
 * Reads `{ "days": { "YYYY-MM-DD": [ { account, symbol, contractMonth, net } ] } }`, the form
 * `tradewire report ... --positions file.json` takes. Problems name the file and the key.
 */
export function jsonFilePositionSource(path: string): StaticPositionSource {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new RegulatoryConfigFileError(`${path}: cannot read positions (${(error as Error).message})`);
  }
  return new StaticPositionSource(parseConfigFile(path, positionDaysSchema, value).days);
}
