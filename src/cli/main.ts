import { Command } from 'commander';
import { loadConfig } from '../config';
import { configuredKeys } from '../keys/namespaceKeys';
import { RedisPositionSource } from '../regulatory/sources/redisPositionSource';
import { registerActorsCommand } from './commands/actors';
import { registerGraphCommand } from './commands/graph';
import { registerInjectCommand } from './commands/inject';
import { registerSimCommand } from './commands/sim';
import { registerDlqCommand } from './commands/dlq';
import { registerOrderCommand } from './commands/order';
import { registerStartCommand } from './commands/start';
import { registerReportCommand } from './commands/report';
import { registerAuditCommand } from './commands/audit';
import { registerMdCommand } from './commands/md';
import { registerHaltCommand } from './commands/halt';
import { registerResumeCommand } from './commands/resume';

export function buildProgram(): Command {
  const program = new Command('tradewire')
    .description('Supervised integration runtime: IB gateway, market data and regulatory reporting as XState actors')
    .version('0.1.0');
  registerStartCommand(program);
  registerActorsCommand(program);
  registerInjectCommand(program);
  registerGraphCommand(program);
  registerSimCommand(program);
  registerOrderCommand(program);
  registerDlqCommand(program);
  registerReportCommand(program, undefined, {
    regulatory: () => loadConfig().regulatory,
    positionSource: () => {
      const config = loadConfig();
      // The namespace's positions, as the runtime with this config writes them.
      return RedisPositionSource.connect(config.redis.url, configuredKeys(config).regulatoryPositionsPrefix);
    },
  });
  registerAuditCommand(program);
  registerMdCommand(program);
  registerHaltCommand(program);
  registerResumeCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv);
}
