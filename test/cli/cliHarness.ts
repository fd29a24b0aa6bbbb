import { Command } from 'commander';
import type { CliDeps } from '../../src/cli/cliDeps.ts';
import { registerActorsCommand } from '../../src/cli/commands/actors.ts';
import { registerInjectCommand } from '../../src/cli/commands/inject.ts';

export interface CliRun {
  exitCode: number | undefined;
  out: string;
  err: string;
}

type RegisterCommand = (program: Command, deps: CliDeps) => unknown;

/** Runs `tradewire <args>` (the actors and inject commands) with captured output and exit code. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return runCliWith([registerActorsCommand, registerInjectCommand], args, env);
}

/** Runs `tradewire <args>` through a fresh commander program holding `commands`, with captured output and exit code. */
export async function runCliWith(commands: RegisterCommand[], args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  let exitCode: number | undefined;
  const deps: CliDeps = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    env,
    setExitCode: (code) => {
      exitCode = code;
    },
  };
  const program = new Command('tradewire')
    .exitOverride()
    .configureOutput({ writeOut: (text) => out.push(text), writeErr: (text) => err.push(text) });
  for (const register of commands) register(program, deps);
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (error) {
    // exitOverride turns commander's own usage errors into throws carrying the exit code.
    exitCode = (error as { exitCode?: number }).exitCode ?? 1;
  }
  return { exitCode, out: out.join('\n'), err: err.join('\n') };
}
