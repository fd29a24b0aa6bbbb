import { existsSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/loadConfig.ts';
import { DEPLOY, exitCodeOf, fakeHealthServer, longestShutdownTimeoutMs, parseEnvFile, readRepoFile, ROOT, SECRET_KEY } from './deployFiles.ts';

// `docker compose config` would validate against the compose specification, but the compose plugin
// is not installed here and no npm package ships the spec's schema: the structure is checked explicitly.
interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  env_file?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[]; interval: string; timeout: string; retries: number };
  stop_grace_period?: string;
  stop_signal?: string;
  restart?: string;
}
interface Compose {
  name: string;
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
}

const compose = parse(readRepoFile('deploy/docker-compose.yml'), { merge: true }) as Compose;
const NODES = ['tradewire-a', 'tradewire-b'] as const;
/** The service keys of the compose specification this file may use. */
const SERVICE_KEYS = new Set(['image', 'build', 'command', 'env_file', 'environment', 'volumes', 'ports', 'depends_on', 'healthcheck', 'stop_grace_period', 'stop_signal', 'restart']);
const TOP_KEYS = new Set(['name', 'services', 'volumes']);
const seconds = (duration: string) => Number(/^(\d+)s$/.exec(duration)![1]);
/** A relative path in the compose file, from the file's own folder (deploy/). */
const fromDeploy = (relative: string) => path.resolve(DEPLOY, relative);
const mountsOf = (service: Service) => (service.volumes ?? []).map((volume) => volume.split(':'));

describe('deploy/docker-compose.yml', () => {
  it('uses only compose keys: services, volumes, a name and x- extensions', () => {
    for (const key of Object.keys(compose)) expect(TOP_KEYS.has(key) || key.startsWith('x-'), key).toBe(true);
    expect(Object.keys(compose.services).sort()).toEqual(['redis', 'tradewire-a', 'tradewire-b']);
    for (const [name, service] of Object.entries(compose.services)) {
      for (const key of Object.keys(service)) expect(SERVICE_KEYS.has(key), `${name}.${key}`).toBe(true);
      expect(service.image ?? service.build, `${name} has an image or a build`).toBeDefined();
      expect(service.healthcheck?.test[0], `${name} has a healthcheck`).toMatch(/^CMD(-SHELL)?$/);
      expect(service.restart).toBe('unless-stopped');
    }
  });

  it('declares every named volume and finds every bind-mounted file', () => {
    for (const service of Object.values(compose.services)) {
      for (const [source] of mountsOf(service)) {
        if (source!.startsWith('.')) expect(existsSync(fromDeploy(source!)), source).toBe(true);
        else expect(Object.keys(compose.volumes)).toContain(source);
      }
    }
  });

  it('runs Redis on deploy/redis/redis.conf, its data on a volume, the password from an env file', () => {
    const redis = compose.services.redis!;
    const conf = mountsOf(redis).find(([source]) => source === './redis/redis.conf');
    expect(conf).toBeDefined();
    expect(redis.command!.join(' ')).toContain(`redis-server ${conf![1]} --requirepass "$$REDIS_PASSWORD"`);
    expect(mountsOf(redis).some(([source, target]) => source === 'redis-data' && target === '/data')).toBe(true);
    expect(redis.env_file).toEqual(['./docker/redis.env']);
    expect(parseEnvFile(readRepoFile('deploy/docker/redis.env.example'))).toHaveProperty('REDIS_PASSWORD');
    expect(redis.ports, 'Redis is not published').toBeUndefined();
  });

  it('builds the tradewire image from the repository with deploy/docker/Dockerfile', () => {
    for (const node of NODES) {
      const { build } = compose.services[node]!;
      expect(fromDeploy(build!.context)).toBe(ROOT);
      expect(existsSync(path.join(ROOT, build!.dockerfile))).toBe(true);
      expect(compose.services[node]!.depends_on).toEqual({ redis: { condition: 'service_healthy' } });
    }
  });

  it('runs one active and one standby node: same env file and namespace, their own node id, admin port and var volume', () => {
    const [a, b] = NODES.map((node) => compose.services[node]!);
    expect(a!.env_file).toEqual(['./docker/tradewire.env']);
    expect(b!.env_file).toEqual(a!.env_file);
    expect(a!.environment!.TRADEWIRE_NODE_ID).not.toBe(b!.environment!.TRADEWIRE_NODE_ID);
    expect(a!.environment!.TRADEWIRE_ADMIN_PORT).not.toBe(b!.environment!.TRADEWIRE_ADMIN_PORT);
    for (const node of [a!, b!]) {
      const port = node.environment!.TRADEWIRE_ADMIN_PORT;
      expect(node.ports).toEqual([`127.0.0.1:${port}:${port}`]);
      expect(node.environment!.TRADEWIRE_NAMESPACE, 'the namespace comes from the shared env file').toBeUndefined();
      expect(node.environment!.TRADEWIRE_REDIS_STATE_FILE).toMatch(/^\/app\/var\//);
    }
    expect(mountsOf(a!).find(([, target]) => target === '/app/var')![0]).not.toBe(mountsOf(b!).find(([, target]) => target === '/app/var')![0]);
  });

  it('keeps secrets out: none inline, every env file has a committed .example', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const key of Object.keys(service.environment ?? {})) expect(SECRET_KEY.test(key), `${name}.environment.${key}`).toBe(false);
      for (const file of service.env_file ?? []) expect(existsSync(fromDeploy(`${file}.example`)), `${file}.example`).toBe(true);
    }
  });

  it('gives a node longer to stop than its graceful shutdown takes', () => {
    for (const node of NODES) {
      expect(compose.services[node]!.stop_signal).toBe('SIGTERM');
      expect(seconds(compose.services[node]!.stop_grace_period!) * 1000).toBeGreaterThan(longestShutdownTimeoutMs());
    }
  });

  it("each node's health check passes on its own admin port's /health", async () => {
    const server = await fakeHealthServer(200);
    try {
      for (const node of NODES) {
        const [, ...argv] = compose.services[node]!.healthcheck!.test;
        expect(await exitCodeOf(argv, { TRADEWIRE_ADMIN_PORT: String(server.port) })).toBe(0);
      }
      expect(server.paths).toEqual(['/health', '/health']);
    } finally {
      await server.close();
    }
  });

  it("each node's configuration loads: broker ib, no demo strategy, spare client ids, its node id", () => {
    const shared = parseEnvFile(readRepoFile('deploy/docker/tradewire.env.example'));
    for (const node of NODES) {
      const { environment } = compose.services[node]!;
      const config = loadConfig({ env: { ...shared, ...environment, TRADEWIRE_CONFIG: path.join(ROOT, 'deploy/docker/tradewire.json') } });
      expect(config.broker.mode).toBe('ib');
      expect(config.orders.demo.enabled).toBe(false);
      expect(config.broker.ib.extraClientIds).toEqual([8, 9]);
      expect(config.broker.allowLive).toBe(false);
      expect(config.lease.nodeId).toBe(environment!.TRADEWIRE_NODE_ID);
      expect(config.admin.port).toBe(Number(environment!.TRADEWIRE_ADMIN_PORT));
      expect(config.redis.url).toBe('redis://:change-me@redis:6379/0');
    }
  });
});
