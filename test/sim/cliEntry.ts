// Test entry: the sim command on a bare program (the lead wires it into the real CLI).
import { Command } from 'commander';
import { registerSimCommand } from '../../src/cli/commands/sim.ts';

const program = new Command('tradewire');
registerSimCommand(program);
await program.parseAsync(process.argv);
