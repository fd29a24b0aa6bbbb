// Types for scripts/build.mjs, which stays plain JavaScript so `npm ci` can run it before anything is compiled.
export interface BuildOptions {
  log?: (line: string) => void;
}
export function isStale(): boolean;
export function build(options?: BuildOptions): void;
export function ensureBuilt(options?: BuildOptions): void;
