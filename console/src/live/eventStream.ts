import { Slice } from '../state/slice.ts';

export type StreamStatus = 'connecting' | 'live' | 'reconnecting' | 'closed';

/**
 * One Server-Sent Events stream. EventSource reconnects by itself and sends Last-Event-ID; when the
 * server refuses outright (401 after a restart logged us out, 503) the browser gives up, so this
 * opens a new one after a pause, resuming from the last id seen (`?lastEventId=`).
 */
export class EventStream {
  readonly status = new Slice<StreamStatus>('connecting');
  private source: EventSource | null = null;
  private lastEventId: string | null = null;
  private retry: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly url: string,
    private readonly handlers: Record<string, (data: unknown) => void>,
  ) {}

  open(): void {
    this.close();
    const resume = this.lastEventId ? `${this.url.includes('?') ? '&' : '?'}lastEventId=${encodeURIComponent(this.lastEventId)}` : '';
    const source = new EventSource(this.url + resume);
    this.source = source;
    this.status.set('connecting');
    source.onopen = () => this.status.set('live');
    source.onerror = () => {
      if (source.readyState === EventSource.CONNECTING) return this.status.set('reconnecting');
      this.status.set('closed');
      this.retry = setTimeout(() => this.open(), 3_000);
    };
    for (const [type, handle] of Object.entries(this.handlers)) {
      source.addEventListener(type, (event) => {
        const message = event as MessageEvent<string>;
        if (message.lastEventId) this.lastEventId = message.lastEventId;
        handle(JSON.parse(message.data));
      });
    }
  }

  close(): void {
    clearTimeout(this.retry);
    this.source?.close();
    this.source = null;
  }
}
