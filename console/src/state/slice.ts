import { useEffect, useState } from 'preact/hooks';

/**
 * A piece of console state that components subscribe to. Changes are announced once per animation
 * frame, whatever their number: 100 order events in a frame cost one render of the blotter, not 100.
 */
export class Slice<T> {
  version = 0;
  private readonly listeners = new Set<() => void>();

  constructor(public value: T) {}

  set(value: T): void {
    this.value = value;
    this.changed();
  }

  /** The value was changed in place: re-render its subscribers at the next frame. */
  changed(): void {
    dirty.add(this as Slice<unknown>);
    if (frame === 0) frame = requestAnimationFrame(flush);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(): void {
    this.version += 1;
    for (const listener of this.listeners) listener();
  }
}

const dirty = new Set<Slice<unknown>>();
let frame = 0;

function flush(): void {
  frame = 0;
  const changed = [...dirty];
  dirty.clear();
  for (const slice of changed) slice.notify();
}

/** The slice's value and its version (a dependency for memos over values changed in place). */
export function useSlice<T>(slice: Slice<T>): [T, number] {
  const [version, setVersion] = useState(slice.version);
  useEffect(() => {
    if (slice.version !== version) setVersion(slice.version);
    return slice.subscribe(() => setVersion(slice.version));
  }, [slice]);
  return [slice.value, slice.version];
}
