import { moduleSpecifier } from '../marketdata/sources/custom/customSource.ts';

const TYPESCRIPT = /\.[cm]?ts$/;

/** What is read of a `marketData.sources` entry: its kind and, for a custom source, its module. */
type SourceEntry = { kind: string; module?: string };

type ImportModule = (specifier: string) => Promise<unknown>;

/**
 * The custom market-data sources whose adapter is TypeScript that this Node cannot import: tradewire
 * runs compiled JavaScript, and Node 20 has no TypeScript loader of its own. Such a source could
 * only fail and restart forever, so `tradewire start` refuses it up front, naming the key.
 *
 * Only TypeScript modules are tried here, and only "cannot import this extension" counts: a missing
 * JavaScript module or a factory that throws stays a failed start of that source, as documented.
 */
export async function unloadableAdapterProblems(config: { marketData: { sources: readonly SourceEntry[] } }, importModule: ImportModule = (specifier) => import(specifier)): Promise<string[]> {
  const problems: string[] = [];
  for (const [index, source] of config.marketData.sources.entries()) {
    if (source.kind !== 'custom' || source.module === undefined || !TYPESCRIPT.test(source.module)) continue;
    try {
      await importModule(moduleSpecifier(source.module));
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'ERR_UNKNOWN_FILE_EXTENSION') continue;
      problems.push(
        `marketData.sources.${index}.module: '${source.module}' is TypeScript, and Node ${process.version} cannot import it: tradewire runs compiled JavaScript. ` +
          'Compile the adapter to .js or .mjs (e.g. with tsc) and point `module` at that file.',
      );
    }
  }
  return problems;
}
