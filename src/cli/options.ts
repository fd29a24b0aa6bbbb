import type { Command } from 'commander';

/** Options several commands share. Registration only: nothing here may import what a command does. */

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** Where a change is sent: the admin API, with the operator token. */
export interface AdminTargetOptions {
  url?: string;
  token?: string;
}

/** The options every operator action on the halt switch takes. */
export interface OperatorActionOptions extends AdminTargetOptions {
  reason?: string;
  operator?: string;
}

/** `--namespace <ns>` on every command that reads a runtime's keys in Redis. */
export function withNamespaceOption(command: Command): Command {
  return command.option('--namespace <ns>', "the runtime's namespace (default: $TRADEWIRE_NAMESPACE, else the config's `namespace`, tradewire)");
}

export function withAdminTargetOptions(command: Command): Command {
  return command
    .option('--url <url>', 'admin API URL (default: $TRADEWIRE_ADMIN_URL or http://127.0.0.1:$TRADEWIRE_ADMIN_PORT)')
    .option('--token <token>', 'operator token (default: $TRADEWIRE_ADMIN_TOKEN; prefer the env var, flags show in ps)');
}

export function withOperatorActionOptions(command: Command, reasonHelp: string): Command {
  return withAdminTargetOptions(command.option('--reason <text>', reasonHelp).option('--operator <name>', 'who is acting (default: your OS user name)'));
}
