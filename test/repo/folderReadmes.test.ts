import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const { forbidden } = require(path.join(ROOT, '.dependency-cruiser.cjs')) as { forbidden: { name: string; to: { pathNot?: string[] } }[] };

/** What the dependency rules let each top-level folder import: `^src/(self|a|b)/` of its rule. */
function allowedByRules(): Map<string, Set<string>> {
  const allowed = new Map<string, Set<string>>();
  for (const rule of forbidden) {
    const folder = /^(.+)-may-import$/.exec(rule.name)?.[1];
    if (!folder) continue;
    const listed = /^\^src\/\((.*)\)\/$/.exec(rule.to.pathNot?.[0] ?? '')?.[1]?.split('|') ?? [];
    allowed.set(folder, new Set(listed.filter((name) => name !== folder)));
  }
  return allowed;
}

/** The backticked folder names on a README's `May import:` line; empty for "nothing of the product". */
function statedInReadme(folder: string): Set<string> {
  const text = readFileSync(path.join(ROOT, 'src', folder, 'README.md'), 'utf8');
  const line = text.split('\n').find((l) => l.startsWith('May import:'));
  if (line === undefined) throw new Error(`src/${folder}/README.md has no "May import:" line`);
  return new Set([...line.matchAll(/`([a-z]+)`/g)].map((m) => m[1]!));
}

const folders = readdirSync(path.join(ROOT, 'src'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);

describe("each top-level folder's README states what the dependency rules enforce", () => {
  const rules = allowedByRules();

  it('every folder of src/ has a rule', () => {
    expect(folders.filter((folder) => !rules.has(folder))).toEqual([]);
  });

  it.each(folders)('src/%s/README.md names exactly the folders it may import', (folder) => {
    expect([...statedInReadme(folder)].sort()).toEqual([...(rules.get(folder) ?? [])].sort());
  });
});
