import type { Command } from 'commander';

export interface SimFlags {
  port: string;
  host: string;
  seed?: string;
  tickIntervalMs?: string;
  masterClientId?: string;
  clock?: string;
  pacing: boolean;
}

export function registerSimCommand(program: Command): void {
  program
    .command('sim')
    .description('run the embedded TWS gateway simulator standalone (speaks the real TWS API socket protocol)')
    .requiredOption('--port <port>', 'TCP port to listen on (0 picks a free one)')
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option('--seed <seed>', 'random-walk seed (same seed, same prices)')
    .option('--tick-interval-ms <ms>', 'price step period; 0 disables automatic steps')
    .option('--master-client-id <id>', "like TWS's Master API client ID: this client also gets other clients' order status and executions")
    .option('--clock <iso>', 'start the simulator clock at this instant (ISO 8601 with a zone); it then runs with real time (default: $TRADEWIRE_SIM_CLOCK, else now)')
    .option('--no-pacing', 'disable the 50 messages/s pacing limit (benchmarks)')
    .action(async (flags: SimFlags) => {
      const { runSim } = await import('../actions/sim.ts');
      process.exitCode = await runSim(flags);
    });
}
