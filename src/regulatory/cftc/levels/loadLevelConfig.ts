import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { z } from 'zod';
import { InstrumentMap, instrumentMapSchema } from './instrumentMap.ts';
import { ReportableLevels, reportableLevelsSchema } from './reportableLevels.ts';
import { formatIssues } from '../../../shared/zodIssues.ts';

export class RegulatoryConfigFileError extends Error {
  override readonly name = 'RegulatoryConfigFileError';
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new RegulatoryConfigFileError(`${path}: cannot read (${(error as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new RegulatoryConfigFileError(`${path}: not valid JSON (${(error as Error).message})`);
  }
}

/** Parses with the schema; every problem is reported as `file: key.path: message`. */
export function parseConfigFile<S extends z.ZodType>(path: string, schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = formatIssues(parsed.error.issues, { style: 'dotted' });
  throw new RegulatoryConfigFileError(`${path}: ${problems.join('; ')}`);
}

export interface LevelConfig {
  levels: ReportableLevels;
  instruments: InstrumentMap;
}

/** Reads the 15.03(b) table and the instrument map; an instrument naming an unknown row is an error naming both. */
export function loadLevelConfig(levelsPath: string, instrumentMapPath: string, baseDir = process.cwd()): LevelConfig {
  const levelsFile = resolve(baseDir, levelsPath);
  const mapFile = resolve(baseDir, instrumentMapPath);
  const levels = new ReportableLevels(parseConfigFile(levelsFile, reportableLevelsSchema, readJson(levelsFile)));
  const map = parseConfigFile(mapFile, instrumentMapSchema, readJson(mapFile));
  try {
    return { levels, instruments: new InstrumentMap(map, levels) };
  } catch (error) {
    const symbol = Object.entries(map.instruments).find(([, m]) => m.levelRow !== undefined && !levels.rows.some((r) => r.commodity === m.levelRow))?.[0];
    throw new RegulatoryConfigFileError(`${mapFile}: instruments.${symbol ?? '?'}.levelRow: ${(error as Error).message} (${levelsFile})`);
  }
}
