import type { Redis } from 'ioredis';
import type { Config } from '../../config/index.ts';
import type { Logger } from '../../log/logger.ts';
import type { IbSession } from '../../ib/session/ibSession.ts';
import type { Fence } from '../../lease/fence.ts';
import type { NamespaceKeys } from '../../redis/namespaceKeys.ts';
import type { ChildSpec } from '../../supervision/childSpec.ts';
import { supervisor } from '../../supervision/supervisorLogic.ts';
import { createSimulatorMachine, simulatorEventSchema } from '../../machines/sim/simulatorMachine.ts';
import { simulatorServerActor, type SimulatorServerOptions } from '../../actors/simulatorServer.ts';
import { brokerReadiness } from './brokerReadiness.ts';
import { IB_CONNECTION_ID, ibConnectionChild } from './ibConnectionChild.ts';
import type { Capability } from './capability.ts';

export const BROKER_SUPERVISOR_ID = 'broker';

/** The simulator as a child spec with systemId `sim`. */
export function simulatorChild(config: Config, logger: Logger, onStarted?: SimulatorServerOptions['onStarted']): ChildSpec {
  return {
    id: 'sim',
    kind: 'tws-simulator',
    logic: createSimulatorMachine(
      simulatorServerActor({
        host: config.broker.sim.host,
        port: config.broker.sim.port,
        logger,
        ...(config.broker.sim.clock ? { simulator: { clock: config.broker.sim.clock } } : {}),
        ...(onStarted ? { onStarted } : {}),
      }),
    ),
    eventSchema: simulatorEventSchema,
    shutdown: 5_000,
  };
}

/** What other capabilities use of the broker: its IB sessions by connection systemId. */
export interface BrokerSessions {
  /** The session of a connection (`ib` by default) of the current start; undefined before the first or for an unknown id. */
  session(systemId?: string): IbSession | undefined;
  /** Every session of the current start, by connection systemId. */
  readonly sessions: ReadonlyMap<string, IbSession>;
}

export interface BrokerCapabilityDeps {
  config: Config;
  redis: Redis;
  keys: NamespaceKeys;
  /** Every order and cancel is checked against the lease at the instant it would be written. */
  fence: Fence;
  logger: Logger;
}

/**
 * The broker side. With `broker.mode: sim` the embedded gateway simulator starts first and the
 * IB connection (systemId `ib`) connects to it; rest_for_one restarts the connection whenever
 * the simulator restarts. With `broker.mode: ib` only the connection runs, to the real gateway.
 * Each start builds fresh connections and sessions, gated by the fence before any actor runs.
 */
export class BrokerCapability implements Capability, BrokerSessions {
  readonly name = 'broker';
  private current = new Map<string, IbSession>();
  /** Set between childSpec and stop: a standby has no connections to be unready about. */
  private running = false;

  constructor(private readonly deps: BrokerCapabilityDeps) {}

  get sessions(): ReadonlyMap<string, IbSession> {
    return this.current;
  }

  session(systemId = IB_CONNECTION_ID): IbSession | undefined {
    return this.current.get(systemId);
  }

  /** For /ready: connections in backoff or cut off from IB, while the broker runs. */
  readonly readiness = (): string[] => (this.running ? brokerReadiness(this.current)() : []);

  childSpec(): ChildSpec {
    const { config, redis, keys, fence, logger } = this.deps;
    const { intensity, periodMs, backoff } = config.supervision;
    const children: ChildSpec[] = [];
    if (config.broker.mode === 'sim') children.push(simulatorChild(config, logger));
    this.current = new Map();
    for (let index = 0; index < config.broker.pool.size; index += 1) {
      const { spec, session } = ibConnectionChild(config, { redis, logger, keys }, index);
      session.gateOrderMessages(() => fence.sendRefusal());
      this.current.set(spec.id, session);
      children.push(spec);
    }
    this.running = true;
    return supervisor(BROKER_SUPERVISOR_ID, { strategy: 'rest_for_one', intensity, periodMs, backoff, children });
  }

  async start(): Promise<void> {}

  /**
   * Its sessions stay gated (the fence is dropped by now, so they refuse every order) and reachable
   * until the `active` supervisor has stopped the actors using them; the next start replaces them.
   */
  async stop(): Promise<void> {
    this.running = false;
  }
}
