import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Redis } from 'ioredis';

const run = promisify(execFile);

/** Local addresses of the TCP connections process `pid` holds to 127.0.0.1:`port` (from `ss`). */
export async function connectionsOf(pid: number, port: number): Promise<string[]> {
  const { stdout } = await run('ss', ['-Htnp', 'state', 'established', `( dport = :${port} )`]);
  const addresses: string[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.includes(`pid=${pid},`)) continue;
    // Columns: Recv-Q Send-Q Local:Port Peer:Port Process
    const local = line.trim().split(/\s+/)[2];
    if (local) addresses.push(local);
  }
  return addresses;
}

/**
 * `CLIENT KILL` of every connection one process holds to this Redis, and of nobody else's (the
 * chaos run's own checker keeps its connections). Returns how many were killed.
 */
export async function killRedisClientsOf(pid: number, redis: Redis, port: number): Promise<number> {
  let killed = 0;
  for (const address of await connectionsOf(pid, port)) {
    killed += Number(await redis.call('CLIENT', 'KILL', 'ADDR', address, 'SKIPME', 'yes').catch(() => 0));
  }
  return killed;
}
