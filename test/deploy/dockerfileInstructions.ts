/** One Dockerfile instruction: its keyword (upper case), its arguments as written, and its stage. */
export interface Instruction {
  keyword: string;
  args: string;
  stage: string;
}

/**
 * The instructions of a Dockerfile: comments and parser directives dropped, lines continued with a
 * trailing backslash joined, each tagged with the stage (`FROM … AS <name>`) it belongs to.
 */
export function dockerfileInstructions(text: string): Instruction[] {
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || (line === '' && pending === '')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    logical.push(`${pending}${line}`.trim());
    pending = '';
  }
  let stage = '';
  return logical
    .filter((line) => line !== '')
    .map((line) => {
      const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
      if (keyword.toUpperCase() === 'FROM') stage = /\bAS\s+(\S+)\s*$/i.exec(args)?.[1] ?? `stage-${line}`;
      return { keyword: keyword.toUpperCase(), args, stage };
    });
}

/** A COPY's flags (`--from=build`) and its sources and destination (shell form). */
export function copyParts(args: string): { flags: Record<string, string>; sources: string[]; destination: string } {
  const words = args.split(/\s+/);
  const flags = Object.fromEntries(words.filter((word) => word.startsWith('--')).map((word) => word.slice(2).split('=') as [string, string]));
  const paths = words.filter((word) => !word.startsWith('--'));
  return { flags, sources: paths.slice(0, -1), destination: paths.at(-1)! };
}

/** The exec form (`["node", "-e", "…"]`) of CMD, ENTRYPOINT or a HEALTHCHECK's CMD, as argv. */
export function execForm(args: string): string[] {
  const json = args.slice(args.indexOf('['));
  return JSON.parse(json) as string[];
}
