import type { Command } from 'commander';
import { processCliDeps, type CliDeps } from '../cliDeps.ts';

export interface InjectOptions {
  url?: string;
  token?: string;
}

export function registerInjectCommand(program: Command, deps: CliDeps = processCliDeps()): void {
  program
    .command('inject')
    .description('send an event to an actor of a running tradewire')
    .argument('<systemId>', 'the target actor, as listed by `tradewire actors`')
    .argument('<event>', 'the event as JSON, e.g. \'{"type":"RECONNECT"}\'')
    .option('--url <url>', 'admin API URL (default: $TRADEWIRE_ADMIN_URL or http://127.0.0.1:$TRADEWIRE_ADMIN_PORT)')
    .option('--token <token>', 'admin bearer token (default: $TRADEWIRE_ADMIN_TOKEN; prefer the env var, flags show in ps)')
    .action(async (systemId: string, eventJson: string, options: InjectOptions) => {
      const { runInject } = await import('../actions/inject.ts');
      deps.setExitCode(await runInject(systemId, eventJson, options, deps));
    });
}
