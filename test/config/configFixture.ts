import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { ConfigError } from '../../src/config/index.ts';

const REPO_DEFAULTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../config/default.json');

/** A throwaway project directory with the real config/default.json, for loadConfig's `cwd`. */
export function makeConfigDir(): { dir: string; write(relative: string, content: unknown): string; cleanup(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'tradewire-config-'));
  mkdirSync(path.join(dir, 'config'));
  copyFileSync(REPO_DEFAULTS, path.join(dir, 'config', 'default.json'));
  return {
    dir,
    write(relative, content) {
      const file = path.join(dir, relative);
      writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
      return file;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The ConfigError `run` throws (fails the test if it throws something else or nothing). */
export function configErrorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}
