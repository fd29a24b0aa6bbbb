// Types for scripts/build.mjs, which stays plain JavaScript so `npm ci` can run it before anything is compiled.
import type { BuildOptions as EsbuildOptions, Metafile } from 'esbuild';

export interface BuildOptions {
  log?: (line: string) => void;
}
export function isStale(): boolean;
export function build(options?: BuildOptions): void;
export function ensureBuilt(options?: BuildOptions): void;
/** Bundles a script of the console (esbuild's options) and throws when it holds what the console may not import. */
export function bundleConsoleScript(options: EsbuildOptions): { metafile: Metafile };
