/**
 * A synthetic node for the console benchmark: it speaks the console's routes (README "Operator
 * console") with made-up data, serves the built console from dist/console, and pushes order events
 * at a set rate. The benchmark measures the page, so the load comes from here rather than from a
 * runtime: 1,000 open orders and 100 updates/s cost it nothing, and it knows when it sent each one.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const DIST_CONSOLE = path.resolve(import.meta.dirname, '../dist/console');
const CSP = "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'";
const SYMBOLS = ['ES', 'NQ', 'ZN', 'CL', 'GC'];
const START = Date.now();

interface Order {
  clientOrderId: string;
  state: string;
  terminal: boolean;
  account: string;
  symbol: string;
  contractMonth: string;
  side: 'BUY' | 'SELL';
  quantity: number;
  orderType: 'LMT';
  limitPrice: number;
  stopPrice: null;
  timeInForce: 'DAY';
  strategy: string;
  filledQuantity: number;
  averagePrice: number | null;
  receivedAt: string;
  updatedAt: string;
  url: string;
}

export interface ConsoleNode {
  url: string;
  /** Ids of the open orders, newest received first (the blotter's order). */
  newest: string[];
  /** Sends one order event (the next filled quantity of `clientOrderId`); returns what the blotter will show and when it was sent. */
  update(clientOrderId: string): { filled: number; sentAt: number };
  close(): Promise<void>;
}

export async function startConsoleNode(openOrders: number): Promise<ConsoleNode> {
  const orders = new Map<string, Order>();
  for (let i = 0; i < openOrders; i += 1) {
    const id = `bench-${String(i).padStart(5, '0')}`;
    const at = new Date(START - (openOrders - i) * 1_000).toISOString();
    orders.set(id, {
      clientOrderId: id, state: 'working', terminal: false, account: 'DU1234567', symbol: SYMBOLS[i % SYMBOLS.length]!, contractMonth: '202703',
      side: i % 2 === 0 ? 'BUY' : 'SELL', quantity: 1_000_000, orderType: 'LMT', limitPrice: 5_000 + (i % 100), stopPrice: null, timeInForce: 'DAY',
      strategy: `strategy-${i % 4}`, filledQuantity: 0, averagePrice: null, receivedAt: at, updatedAt: at, url: `/orders/${id}`,
    });
  }
  const newest = [...orders.keys()].reverse();
  const tree = () => ({
    systemId: 'root', kind: 'supervisor', state: 'running', status: 'running', restarts: 0, startedAt: new Date(START).toISOString(),
    children: [
      { systemId: 'redis', kind: 'redis-link', state: 'up', status: 'running', restarts: 0, startedAt: new Date(START).toISOString(), children: [] },
      { systemId: 'ib', kind: 'ib-connection', state: { connected: { health: 'healthy', heartbeat: 'idle' } }, status: 'running', restarts: 0, startedAt: new Date(START).toISOString(), children: [] },
      {
        systemId: 'orders', kind: 'supervisor', state: 'running', status: 'running', restarts: 0, startedAt: new Date(START).toISOString(),
        children: [...orders.values()].map((order) => ({ systemId: `order:${order.clientOrderId}`, kind: 'order', state: order.state, status: 'running', restarts: 0, startedAt: order.receivedAt, children: [] })),
      },
    ],
  });
  const sessions = new Map<string, string>();
  const eventClients = new Set<http.ServerResponse>();
  const treeClients = new Set<http.ServerResponse>();
  let eventSeq = 0;

  const json = (response: http.ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(JSON.stringify(body));
  };
  const sse = (response: http.ServerResponse, clients: Set<http.ServerResponse>) => {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    response.write(': open\n\n');
    clients.add(response);
    response.on('close', () => clients.delete(response));
  };
  const page = (query: URLSearchParams) => {
    const state = query.get('state') ?? 'all';
    const limit = Number(query.get('limit') ?? 100);
    const offset = Number(query.get('cursor') ?? 0);
    const all = newest.map((id) => orders.get(id)!).filter((order) => state !== 'terminal');
    const slice = all.slice(offset, offset + limit);
    return { orders: slice, nextCursor: offset + limit < all.length ? String(offset + limit) : null };
  };
  const routes: Record<string, (query: URLSearchParams, request: http.IncomingMessage, response: http.ServerResponse) => void> = {
    'GET /session': (_q, request, response) => {
      const role = sessions.get(/tw_session=([^;]+)/.exec(request.headers.cookie ?? '')?.[1] ?? '');
      json(response, 200, { authenticated: Boolean(role), role: role ?? null, csrfToken: role ? 'csrf' : null, expiresAt: null });
    },
    'GET /actors': (_q, _r, response) => json(response, 200, tree()),
    'GET /actors/stream': (_q, _r, response) => {
      sse(response, treeClients);
      response.write(`event: tree\ndata: ${JSON.stringify(tree())}\n\n`);
    },
    'GET /events': (_q, _r, response) => sse(response, eventClients),
    'GET /orders': (query, _r, response) => json(response, 200, page(query)),
    'GET /halt': (_q, _r, response) => json(response, 200, { halted: false, causes: [] }),
    'GET /prices': (_q, _r, response) => json(response, 200, { prices: SYMBOLS.map((symbol, i) => ({ symbol, contractMonth: '202703', bid: 100 * (i + 1), ask: 100 * (i + 1) + 0.25, last: 100 * (i + 1), price: 100 * (i + 1) + Math.sin(Date.now() / 5_000), confidence: 0.1, sources: 2, updatedAt: new Date().toISOString(), ageMs: 40, rejects: {} })) }),
    'GET /connections': (_q, _r, response) =>
      json(response, 200, {
        node: { role: 'active', nodeId: 'bench-node', namespace: 'bench', fencingToken: 1, activeNodeId: 'bench-node' },
        connections: [{ id: 'ib', gateway: { host: '127.0.0.1', port: 4002 }, clientId: 1, accounts: ['DU1234567'], accountType: 'PAPER', health: 'healthy', state: 'connected', dataFarms: [], lastError: null, breaker: { state: 'closed' }, pacing: { ratePerSecond: 45, burst: 45, queued: 0 } }],
      }),
    'GET /machines': (_q, _r, response) => json(response, 200, { machines: [{ name: 'order', kinds: ['order'] }] }),
  };

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://node');
    if (request.method === 'GET' && (url.pathname === '/' || url.pathname.startsWith('/console/'))) {
      const file = url.pathname === '/' ? 'index.html' : path.basename(url.pathname);
      const type = file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : 'text/html';
      response.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'content-security-policy': CSP });
      response.end(readFileSync(path.join(DIST_CONSOLE, file)));
      return;
    }
    const route = routes[`${request.method} ${url.pathname}`];
    if (route) return route(url.searchParams, request, response);
    const order = /^\/orders\/([^/]+)$/.exec(url.pathname);
    if (request.method === 'GET' && order) return json(response, orders.has(order[1]!) ? 200 : 404, orders.get(order[1]!) ?? { error: { code: 'order_not_found', message: 'no such order' } });
    if (request.method === 'POST' && url.pathname === '/session') {
      const id = randomBytes(16).toString('base64url');
      sessions.set(id, 'operator');
      response.setHeader('set-cookie', `tw_session=${id}; HttpOnly; SameSite=Strict; Path=/`);
      return json(response, 200, { role: 'operator', csrfToken: 'csrf', expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    }
    json(response, 404, { error: { code: 'not_found', message: `${request.method} ${url.pathname}: not in the synthetic node` } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // The tree stream sends the whole tree at most every 200 ms while orders change, as a node coalesces it.
  let treeDirty = false;
  const treeTimer = setInterval(() => {
    if (!treeDirty) return;
    treeDirty = false;
    const message = `event: tree\ndata: ${JSON.stringify(tree())}\n\n`;
    for (const client of treeClients) client.write(message);
  }, 200);

  return {
    url,
    newest,
    update(clientOrderId) {
      const order = orders.get(clientOrderId)!;
      order.filledQuantity += 1;
      order.averagePrice = order.limitPrice;
      order.state = 'partiallyFilled';
      const sentAt = performance.timeOrigin + performance.now();
      order.updatedAt = new Date(sentAt).toISOString();
      eventSeq += 1;
      const data = { clientOrderId, state: order.state, filledQuantity: order.filledQuantity, averagePrice: order.averagePrice, at: order.updatedAt };
      const message = `id: ${Math.floor(sentAt)}-${eventSeq}\nevent: order\ndata: ${JSON.stringify(data)}\n\n`;
      for (const client of eventClients) client.write(message);
      treeDirty = true;
      return { filled: order.filledQuantity, sentAt };
    },
    async close() {
      clearInterval(treeTimer);
      for (const client of [...eventClients, ...treeClients]) client.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
