/** One dispatched SSE message (or a comment), as a client parses the text/event-stream. */
export interface SseMessage {
  id?: string;
  event: string;
  data: string;
}

export interface ParsedSse {
  messages: SseMessage[];
  comments: string[];
  /** The last `id:` seen, dispatched or not: what an EventSource would send as Last-Event-ID. */
  lastEventId: string | undefined;
  /** Text after the last blank line (a message still arriving). */
  rest: string;
}

/** Parses text/event-stream text as the WHATWG algorithm does (the parts the stream uses). */
export function parseSse(text: string): ParsedSse {
  const messages: SseMessage[] = [];
  const comments: string[] = [];
  let lastEventId: string | undefined;
  const blocks = text.split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let id: string | undefined;
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) comments.push(line.slice(1).trim());
      else if (line.startsWith('id: ')) id = line.slice(4);
      else if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (id !== undefined) lastEventId = id;
    if (data.length > 0) messages.push({ ...(id !== undefined ? { id } : {}), event, data: data.join('\n') });
  }
  return { messages, comments, lastEventId, rest };
}
