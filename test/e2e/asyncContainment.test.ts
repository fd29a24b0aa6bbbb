import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

describe('async exceptions in actor code (separate process, real uncaughtException path)', () => {
  it('fail the owning actor, which its supervisor restarts; stray ones are logged and the process lives', () => {
    const script = path.resolve(__dirname, 'fixtures/asyncThrows.ts');
    const output = execFileSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const lines = output.trim().split('\n');
    const result = JSON.parse(lines.at(-1)!);
    expect(result).toEqual({ alive: true, socketStarts: 2, timerStarts: 2, restarts: { conn: 1, timer: 1 }, status: 'active' });
    const logged = lines.slice(0, -1).map((l) => JSON.parse(l) as { message: string; error: { message: string; stack: string[] } });
    // Every logged error has one shape: its message and its stack frames as fields.
    for (const l of logged) expect(l.error.stack.length).toBeGreaterThan(0);
    expect(logged.map((l) => l.error.message).sort()).toEqual(['promise chain rejected', 'socket handler threw', 'thrown outside any actor']);
  });
});
