import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');

/** Runs the Python client's own suite (standard-library unittest): unit tests, then a real tradewire it starts itself. */
function runPythonSuite(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const python = spawn('python3', ['-m', 'unittest', 'discover', '-s', 'clients/python/tests', '-v'], {
      cwd: ROOT,
      // REDIS_URL and TRADEWIRE_SIM_CLOCK pass through: the suite's tradewire uses the same Redis and simulator instant as ours.
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    python.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    python.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    python.on('error', reject);
    python.on('close', (code) => resolve({ code, output }));
  });
}

describe('the Python client (clients/python)', () => {
  it('passes its unittest suite against a real tradewire', async () => {
    const { code, output } = await runPythonSuite();
    if (code !== 0) console.error(output);
    expect(code, 'the Python suite failed: its output is printed above').toBe(0);
  }, 180_000);
});
