import type { z } from 'zod';
import { redactUrl } from '../log/redactUrl.ts';
import type { ConfigIssue } from './configError.ts';

/** One source of configuration values, checked and reported on its own. */
export interface ConfigLayer {
  data: Record<string, unknown>;
  /** Names the source of the value at a dotted key path, for error messages. */
  sourceOf(path: string): string;
}

const SECRET_PATH = /token|password|secret/i;

export function issuesFromZod(error: z.ZodError, layer: ConfigLayer): ConfigIssue[] {
  return error.issues.flatMap((issue) => {
    const base = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => {
        const path = [...base, key].join('.');
        return { path, problem: 'unknown key (check the spelling)', source: layer.sourceOf(path) };
      });
    }
    const path = base.join('.');
    return [{ path, problem: describeProblem(issue.message, path, valueAt(layer.data, base)), source: layer.sourceOf(path) }];
  });
}

function describeProblem(message: string, path: string, received: unknown): string {
  if (received === undefined) return message;
  if (SECRET_PATH.test(path)) return message;
  // Redacted before it is cut short: a cut could otherwise fall between the password and its '@'.
  const shown = JSON.stringify(typeof received === 'string' ? redactUrl(received) : received) ?? String(received);
  return `${message}; got ${shown.length > 60 ? `${shown.slice(0, 57)}...` : shown}`;
}

function valueAt(data: unknown, path: string[]): unknown {
  let current = data;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
