/** Where CLI commands write, and how they report their exit code; swapped out in tests. */
export interface CliDeps {
  out(line: string): void;
  err(line: string): void;
  env: NodeJS.ProcessEnv;
  setExitCode(code: number): void;
}

export function processCliDeps(): CliDeps {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
    setExitCode: (code) => {
      process.exitCode = code;
    },
  };
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
