import type { Command } from 'commander';

/**
 * Help text that names values from a command's own code (machine names, formats) is filled in
 * just before that command parses its arguments, to run or to print its help. So registering it,
 * and `tradewire --help`, load none of that code.
 */
export function describeWhenUsed(command: Command, fill: (command: Command) => Promise<void>): void {
  const parent = command.parent;
  if (!parent) throw new Error(`describeWhenUsed: '${command.name()}' is not a subcommand`);
  parent.hook('preSubcommand', async (_parent, subcommand) => {
    if (subcommand === command) await fill(command);
  });
}

/** Sets the help text of `command`'s option `flag` (e.g. '--format'). */
export function describeOption(command: Command, flag: string, description: string): void {
  const option = command.options.find((candidate) => candidate.long === flag);
  if (!option) throw new Error(`describeOption: '${command.name()}' has no option ${flag}`);
  option.description = description;
}
