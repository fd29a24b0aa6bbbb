import type { Redis } from 'ioredis';
import type { RawBufferEntry } from './chainEntry.ts';

export const DEFAULT_PAGE_SIZE = 1_000;

export interface StreamPageOptions {
  /** Inclusive XRANGE bounds: `-`, `+`, `<ms>` or a full id. */
  start: string;
  end: string;
  pageSize?: number;
}

/** Pages through a stream, oldest first, as raw bytes; never holds more than one page. */
export async function* streamPages(redis: Redis, key: string, options: StreamPageOptions): AsyncGenerator<RawBufferEntry[]> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  let start = options.start;
  for (;;) {
    const page = (await redis.xrangeBuffer(key, start, options.end, 'COUNT', pageSize)) as unknown as RawBufferEntry[];
    if (page.length === 0) return;
    yield page;
    if (page.length < pageSize) return;
    start = `(${(page.at(-1) as RawBufferEntry)[0].toString('latin1')}`;
  }
}
