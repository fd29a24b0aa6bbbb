import { describeError, getJson } from '../api/http.ts';
import { Slice } from '../state/slice.ts';

export interface Polled<T> {
  data: T | null;
  error: string | null;
  /** When the last answer (or failure) came, ms since the epoch. */
  at: number | null;
}

/**
 * A read route fetched every `intervalMs` while something watches it (a panel on screen, the
 * header), never two requests at once; `refresh()` fetches now (after an event that changed it).
 */
export class Poller<T> {
  readonly slice: Slice<Polled<T>>;
  private timer: ReturnType<typeof setInterval> | undefined;
  private watchers = 0;
  private inFlight = false;
  private again = false;

  constructor(
    private readonly path: () => string,
    private readonly intervalMs: number,
    private readonly onData: (data: T) => void = () => {},
  ) {
    this.slice = new Slice<Polled<T>>({ data: null, error: null, at: null });
  }

  /** Starts polling for one more watcher; the returned function stops watching. */
  watch(): () => void {
    this.watchers += 1;
    if (this.watchers === 1) {
      void this.refresh();
      this.timer = setInterval(() => void this.refresh(), this.intervalMs);
    }
    return () => {
      this.watchers -= 1;
      if (this.watchers === 0) clearInterval(this.timer);
    };
  }

  async refresh(): Promise<void> {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = true;
    try {
      const data = await getJson<T>(this.path());
      this.onData(data);
      this.slice.set({ data, error: null, at: Date.now() });
    } catch (error) {
      this.slice.set({ ...this.slice.value, error: describeError(error), at: Date.now() });
    } finally {
      this.inFlight = false;
      if (this.again) {
        this.again = false;
        void this.refresh();
      }
    }
  }
}
