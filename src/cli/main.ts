import { Command } from 'commander';
import { loadConfig } from '../config/index.ts';
import { configuredKeys } from '../redis/namespaceKeys.ts';
import { RedisPositionSource } from '../regulatory/sources/redisPositionSource.ts';
import { registerActorsCommand } from './commands/actors.ts';
import { registerGraphCommand } from './commands/graph.ts';
import { registerInjectCommand } from './commands/inject.ts';
import { registerSimCommand } from './commands/sim.ts';
import { registerDlqCommand } from './commands/dlq.ts';
import { registerOrderCommand } from './commands/order.ts';
import { registerStartCommand } from './commands/start.ts';
import { registerReportCommand } from './commands/report.ts';
import { registerAuditCommand } from './commands/audit.ts';
import { registerMdCommand } from './commands/md.ts';
import { registerHaltCommand } from './commands/halt.ts';
import { registerResumeCommand } from './commands/resume.ts';

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
