import type { Command } from 'commander';
import { processCliDeps, type CliDeps } from '../cliDeps.ts';

export interface ActorsOptions {
  url?: string;
  token?: string;
  json?: boolean;
}

export function registerActorsCommand(program: Command, deps: CliDeps = processCliDeps()): void {
  program
    .command('actors')
    .description('show the supervision tree of a running tradewire')
    .option('--url <url>', 'admin API URL (default: $TRADEWIRE_ADMIN_URL or http://127.0.0.1:$TRADEWIRE_ADMIN_PORT)')
    .option('--token <token>', 'needed when the admin API listens beyond loopback (default: $TRADEWIRE_READ_TOKEN, else $TRADEWIRE_ADMIN_TOKEN)')
    .option('--json', 'print the raw JSON tree')
    .action(async (options: ActorsOptions) => {
      const { runActors } = await import('../actions/actors.ts');
      deps.setExitCode(await runActors(options, deps));
    });
}
