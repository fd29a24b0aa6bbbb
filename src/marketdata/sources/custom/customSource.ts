import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CustomSourceConfig } from '../sourceConfig.ts';
import type { MarketDataSource, SourceFactory } from '../marketDataSource.ts';

/** A path (starting with `.` or `/`) is taken from the working directory; anything else is a package name. */
export function moduleSpecifier(module: string, cwd = process.cwd()): string {
  if (module.startsWith('.') || isAbsolute(module)) return pathToFileURL(resolve(cwd, module)).href;
  return module;
}

async function loadFactory(module: string): Promise<SourceFactory> {
  const loaded = (await import(moduleSpecifier(module))) as { default?: unknown; createSource?: unknown };
  const factory = typeof loaded.createSource === 'function' ? loaded.createSource : loaded.default;
  if (typeof factory !== 'function') throw new Error(`module '${module}' exports neither a default function nor createSource`);
  return factory as SourceFactory;
}

/**
 * A user's adapter, loaded from `module` when the source starts: a missing module or a factory
 * that throws is a failed start (counted by the breaker, restarted with backoff), never a crash.
 */
export function customSource(config: CustomSourceConfig): MarketDataSource {
  let inner: MarketDataSource | null = null;
  return {
    async start(ctx) {
      const factory = await loadFactory(config.module);
      const source = factory({ id: config.id, instruments: ctx.instruments, options: config.options });
      if (!source || typeof source.start !== 'function' || typeof source.stop !== 'function') {
        throw new Error(`module '${config.module}' returned no MarketDataSource (it needs start and stop)`);
      }
      inner = source;
      await source.start(ctx);
    },
    stop() {
      return inner?.stop();
    },
    describe() {
      return { module: config.module, ...(inner?.describe?.() ?? {}) };
    },
  };
}
