import { readFileSync } from 'node:fs';

/** A Lua script of this folder, read once at load (scripts are files named `<operation>-<keys>.lua`). */
export function luaScript(file: string): string {
  return readFileSync(new URL(`./${file}`, import.meta.url), 'utf8');
}
