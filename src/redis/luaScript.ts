import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

/** A script's reply when Redis does not hold it (restarted, wiped, SCRIPT FLUSH). */
const isNoScript = (error: unknown): boolean => error instanceof Error && error.message.startsWith('NOSCRIPT');

/**
 * One Lua script of src/redis/scripts, read and hashed once at load, run with EVALSHA. When Redis
 * does not hold it any more, it is sent once with EVAL, which also stores it for the next EVALSHA.
 * A small runner rather than ioredis' `defineCommand`: the clients are shared, and this leaves
 * them as they were.
 */
export class LuaScript {
  readonly sha1: string;

  constructor(
    /** The file's name, `<operation>-<keys>.lua`. */
    readonly name: string,
    readonly source: string,
  ) {
    this.sha1 = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: Redis, keys: readonly string[], args: readonly (string | number)[] = []): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha1, keys.length, ...keys, ...args);
    } catch (error) {
      if (!isNoScript(error)) throw error;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}

const read = (file: string): string => readFileSync(new URL(`./scripts/${file}`, import.meta.url), 'utf8');

const loaded = new Map<string, LuaScript>();

/**
 * The script in src/redis/scripts/`file`; with `prelude`, that file's text is put in front of it
 * (the order scripts start with refuseIfFenced-fence.lua's check).
 */
export function luaScript(file: string, options: { prelude?: string } = {}): LuaScript {
  const id = options.prelude === undefined ? file : `${options.prelude}+${file}`;
  let script = loaded.get(id);
  if (script === undefined) {
    const source = options.prelude === undefined ? read(file) : `${read(options.prelude)}\n${read(file)}`;
    script = new LuaScript(file, source);
    loaded.set(id, script);
  }
  return script;
}
