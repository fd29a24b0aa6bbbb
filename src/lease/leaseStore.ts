import type { Redis } from 'ioredis';
import { luaScript } from '../redis/luaScript.ts';

const ACQUIRE = luaScript('acquire-lease-fence.lua');
const EXTEND = luaScript('extend-lease-fence.lua');
const RELEASE = luaScript('release-lease.lua');

/** What an acquisition attempt found: this node's new token, or who holds the lease. */
export type Acquisition = { acquired: true; token: number; value: string } | { acquired: false; holder: string };

export interface LeaseKeys {
  /** The lease: "<nodeId>|<token>" with a TTL. */
  lease: string;
  /** The fencing-token counter. */
  fence: string;
}

/** The holder's node id, from the lease's value. */
export const holderNodeId = (value: string): string => value.slice(0, value.lastIndexOf('|'));

/**
 * The lease's three atomic operations on Redis. Standbys learn of a release on
 * `<lease>:released` (a channel, not a key: nothing is stored under it).
 */
export class LeaseStore {
  readonly releasedChannel: string;

  constructor(
    private readonly redis: Redis,
    readonly keys: LeaseKeys,
  ) {
    this.releasedChannel = `${keys.lease}:released`;
  }

  async acquire(nodeId: string, ttlMs: number): Promise<Acquisition> {
    const [token, value] = (await ACQUIRE.run(this.redis, [this.keys.lease, this.keys.fence], [nodeId, String(ttlMs)])) as [number, string];
    return Number(token) > 0 ? { acquired: true, token: Number(token), value } : { acquired: false, holder: value };
  }

  /** True while the lease is still this acquisition's (renewed, or set again after Redis lost it with no newer token issued). */
  async extend(value: string, ttlMs: number): Promise<boolean> {
    const token = value.slice(value.lastIndexOf('|') + 1);
    return Number(await EXTEND.run(this.redis, [this.keys.lease, this.keys.fence], [value, String(ttlMs), token])) > 0;
  }

  async release(value: string): Promise<boolean> {
    return Number(await RELEASE.run(this.redis, [this.keys.lease], [value, this.releasedChannel])) === 1;
  }

  /** The current holder's node id, or null. */
  async holder(): Promise<string | null> {
    const value = await this.redis.get(this.keys.lease);
    return value === null ? null : holderNodeId(value);
  }
}
