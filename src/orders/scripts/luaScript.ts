import { readFileSync } from 'node:fs';

const read = (file: string) => readFileSync(new URL(`./${file}`, import.meta.url), 'utf8');

/** refuseIfFenced-fence.lua's check, put before each order script so every durable order write is fenced. */
const FENCE_CHECK = read('refuseIfFenced-fence.lua');

/**
 * An order script of this folder (files named `<operation>-<keys>.lua`), read once at load, with
 * the lease-fence check in front of it.
 */
export function luaScript(file: string): string {
  return `${FENCE_CHECK}\n${read(file)}`;
}
