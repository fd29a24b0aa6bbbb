import net from 'node:net';
import type { Config } from '../config/index.ts';

/** Asks the OS for a free loopback port. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The simulator and the connection to it must agree on one port before either starts,
 * so `broker.sim.port: 0` is resolved here rather than by the simulator's listen.
 */
export async function withResolvedPorts(config: Config): Promise<Config> {
  if (config.broker.mode !== 'sim' || config.broker.sim.port !== 0) return config;
  const port = await freePort(config.broker.sim.host);
  return { ...config, broker: { ...config.broker, sim: { ...config.broker.sim, port } } };
}
