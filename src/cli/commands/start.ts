import type { Command } from 'commander';
import { integerFlag } from '../numberFlags.ts';

export interface StartFlags {
  inspect?: boolean;
  adminPort?: string;
  config?: string;
  allowVolatileRedis?: boolean;
}

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('run the supervised runtime (the main job)')
    .option('--inspect', 'stream inspection events to the Stately inspector and print its URL')
    .option('--admin-port <port>', 'admin API port (0 picks a free one)', integerFlag('--admin-port'))
    .option('--config <file>', 'a config file layered over config/default.json (like TRADEWIRE_CONFIG)')
    .option('--allow-volatile-redis', 'start with broker mode ib even though Redis keeps nothing on disk (redis.allowVolatile)')
    .action(async (flags: StartFlags) => {
      const { runStart } = await import('../actions/start.ts');
      process.exitCode = await runStart(flags);
    });
}
