import type { z } from 'zod';
import { redactUrl } from '../log/redactUrl.ts';
import type { ConfigIssue } from './configError.ts';
import { fieldProblems, formatPath } from './zodIssues.ts';

/** One source of configuration values, checked and reported on its own. */
export interface ConfigLayer {
  data: Record<string, unknown>;
  /** Names the source of the value at a dotted key path, for error messages. */
  sourceOf(path: string): string;
}

const SECRET_PATH = /token|password|secret/i;

export function issuesFromZod(error: z.ZodError, layer: ConfigLayer): ConfigIssue[] {
  return fieldProblems(error.issues).map(({ path: at, message, unknownKey }) => {
    const path = formatPath(at, { style: 'dotted', root: '' });
    const problem = unknownKey ? 'unknown key (check the spelling)' : describeProblem(message, path, valueAt(layer.data, at.map(String)));
    return { path, problem, source: layer.sourceOf(path) };
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
