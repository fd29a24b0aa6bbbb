import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BUILT = path.join(ROOT, 'dist/console');

// The vitest global setup built dist/ (the console with it) from the current sources.
describe('the console build (dist/console)', () => {
  it('is one page, one script and one stylesheet, loaded from this server only', () => {
    const page = readFileSync(path.join(BUILT, 'index.html'), 'utf8');
    const loads = [...page.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((match) => match[1]);
    expect(loads.sort()).toEqual(['/console/app.css', '/console/app.js', 'data:,']);
    expect(readFileSync(path.join(BUILT, 'app.js'), 'utf8').length).toBeGreaterThan(1_000);
    const styles = readFileSync(path.join(BUILT, 'app.css'), 'utf8');
    expect(styles).not.toMatch(/@import|url\(\s*['"]?(https?:)?\/\//);
  });

  it('type-checks as browser code (console/tsconfig.json: DOM, no Node types)', () => {
    const typescript = path.dirname(createRequire(import.meta.url).resolve('typescript/package.json'));
    const tsc = path.join(typescript, JSON.parse(readFileSync(path.join(typescript, 'package.json'), 'utf8')).bin.tsc);
    const checked = spawnSync(process.execPath, [tsc, '--noEmit', '-p', path.join(ROOT, 'console')], { encoding: 'utf8' });
    expect(checked.stdout + checked.stderr).toBe('');
    expect(checked.status).toBe(0);
  });
});
