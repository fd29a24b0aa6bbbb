/**
 * The groups /docs shows routes in, in this order. Each route names one (`tags: ['operator']`);
 * a route naming none would land in an unnamed group.
 */
export const API_TAGS = [
  { name: 'session', description: 'The browser console’s login: a token exchanged once for an HttpOnly, SameSite=Strict session cookie, and the CSRF token its changes carry.' },
  { name: 'probes', description: 'Liveness, readiness and which node is active. No token needed, wherever the API listens: load balancers and orchestrators call them.' },
  { name: 'orders', description: 'Orders through the `orders` queue (the same validation, idempotency and audit trail as any producer), and what they did.' },
  { name: 'positions', description: 'Positions: the broker’s against the runtime’s, and reconciliation breaks.' },
  { name: 'fills', description: 'Executions as the fills stream holds them.' },
  { name: 'prices', description: 'The market-data engine’s current prices.' },
  { name: 'events', description: 'Live events as Server-Sent Events.' },
  { name: 'operator', description: 'The kill switch (halt, resume, and whether intake is halted) and clearing reconciliation breaks. Changes need the operator token; every one is in the audit trail.' },
  { name: 'dead letters', description: 'Listing, replaying or purging the dead letters of a queue, as `tradewire dlq` does.' },
  { name: 'broker', description: 'The IB connections: gateway, client id, accounts, health, data farms, the last error with a hint, breaker and pacing.' },
  { name: 'reports', description: 'Regulatory filings: the next deadline, recent filings and the transports they go through.' },
  { name: 'audit', description: 'Verifying the hash-chained audit trail, as `tradewire audit verify` does.' },
  { name: 'runtime', description: 'The supervision tree (and its changes as they happen), injecting an event into an actor, and Prometheus metrics.' },
  { name: 'market data', description: 'Historical bars from IB.' },
  { name: 'testing', description: 'Fault hooks for the chaos tests; present only while `testing.faultHooks` is on.' },
] as const;

export type ApiTag = (typeof API_TAGS)[number]['name'];
