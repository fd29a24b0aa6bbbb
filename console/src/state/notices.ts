import { Slice } from './slice.ts';

export interface Notice {
  id: number;
  tone: 'info' | 'success' | 'error' | 'warning';
  text: string;
}

/** Outcomes of the operator's actions and stream notices (lost events), shown in a polite live region. */
export const notices = new Slice<Notice[]>([]);
let next = 0;

export function notify(tone: Notice['tone'], text: string, keepMs = tone === 'error' || tone === 'warning' ? 15_000 : 6_000): void {
  next += 1;
  const id = next;
  notices.set([...notices.value.slice(-4), { id, tone, text }]);
  setTimeout(() => dismiss(id), keepMs);
}

export function dismiss(id: number): void {
  notices.set(notices.value.filter((notice) => notice.id !== id));
}
