import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { bridgePage } from './bridgePage.ts';

export interface InspectorRelay {
  /** ws:// URL the runtime streams to and local tools subscribe to. */
  wsUrl: string;
  /** http:// URL of the page that embeds the Stately inspector and feeds it the stream. */
  pageUrl: string;
  close(): Promise<void>;
}

const RECENT_LIMIT = 2_000;

/**
 * A loopback-only hub for inspection events, in the shape of @statelyai/inspect's
 * inspector server (whose own server listens on every interface). Every message a client
 * sends is fanned out to the other clients; actor registrations are replayed to late
 * joiners so a viewer opened after start still sees the whole tree.
 */
export async function startInspectorRelay(options: { port: number; host?: string; inspectorUrl?: string }): Promise<InspectorRelay> {
  const host = options.host ?? '127.0.0.1';
  const actorRegistrations = new Map<string, string>();
  const recent: string[] = [];
  const server = http.createServer((_req, res) => {
    const { port } = server.address() as AddressInfo;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(bridgePage(`ws://${host}:${port}`, options.inspectorUrl ?? 'https://stately.ai/inspect'));
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (socket) => {
    for (const message of actorRegistrations.values()) socket.send(message);
    for (const message of recent) socket.send(message);
    socket.on('message', (data) => {
      const message = data.toString();
      remember(message);
      for (const client of wss.clients) {
        if (client !== socket && client.readyState === WebSocket.OPEN) client.send(message);
      }
    });
    socket.on('error', () => socket.terminate());
  });

  function remember(message: string): void {
    const registration = /"type":"@xstate\.actor"[\s\S]*?"sessionId":"([^"]+)"/.exec(message);
    if (registration?.[1]) {
      actorRegistrations.set(registration[1], message);
      return;
    }
    recent.push(message);
    if (recent.length > RECENT_LIMIT) recent.shift();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    wsUrl: `ws://${host}:${port}`,
    pageUrl: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => server.close(() => resolve()));
      }),
  };
}
