import { onTestFailed } from 'vitest';
import { declareTopology, topologyOf } from '../../../apps/order-service/src/outbound/amqp/amqp-topology.js';
import { anOrderMessage, type OrderMessage } from '../../fixtures/order.mother.js';
import { serviceEnvironment } from '../../support/order-service.env.js';
import { ProductBConsumer } from '../../support/product-b-consumer.js';
import { READY_LINE, ServiceProcess } from '../../support/service-process.js';
import type { TcpProxy } from '../../support/tcp-proxy.js';
import {
  type BrokerNames,
  eventually,
  type OutgoingMessage,
  RABBITMQ_URL,
  TestBroker,
  uniqueBrokerNames,
} from '../../support/test-broker.js';
import { SERVER_URL, TestDatabase } from '../../support/test-database.js';
import { type BrokerTarget, SYSTEM_BROKER } from '../../support/rabbitmqctl.js';
import { DatabaseGate } from './database-gate.js';

/** The size of the bursts the scenarios inject their faults into. */
export const BURST = 2_000;
/** Long enough for a shared, busy two-core machine; every wait ends as soon as its condition holds. */
export const PATIENCE_MS = 90_000;
/** The deliveries a service process holds unacknowledged at most (its INBOUND_PREFETCH, set here). */
export const PREFETCH = 500;

/** The servers a scenario runs against: the system's by default, a cluster's in the cluster suite. */
export interface ScenarioServers {
  /** RABBITMQ_URL of the service processes: one node, or a cluster's nodes comma-separated. */
  readonly rabbitmqUrl: string;
  /** The one node the test itself (products A and B, the checks) talks to; one it does not fault. */
  readonly testRabbitmqUrl: string;
  /** The same node, for `rabbitmqctl`. */
  readonly broker: BrokerTarget;
  /** The Postgres server the scenario's database is created on, without a database. */
  readonly postgresUrl: string;
}

export const SYSTEM_SERVERS: ScenarioServers = {
  rabbitmqUrl: RABBITMQ_URL,
  testRabbitmqUrl: RABBITMQ_URL,
  broker: SYSTEM_BROKER,
  postgresUrl: SERVER_URL,
};

export interface ServiceOptions {
  /** Environment beyond the scenario's own database and queues. */
  readonly environment?: Record<string, string>;
  /** Reach RabbitMQ through this proxy, which the scenario may cut or stall. */
  readonly brokerProxy?: TcpProxy;
}

/** A burst whose intake is frozen mid-way: a transaction with deliveries in hand waits at `gate`. */
export interface FrozenIntake {
  readonly orders: OrderMessage[];
  readonly gate: DatabaseGate;
  /** Orders committed when the intake froze; no more commit until the gate opens. */
  readonly committed: number;
}

/** A service run as an orchestrator runs it: started again each time it dies, until the scenario closes. */
export interface Supervised {
  /** Every process it ran, the first one first. */
  readonly processes: readonly ServiceProcess[];
  /** The processes that died (each was restarted). */
  readonly deaths: number;
}

/** How a service process settled its deliveries, read from its log lines. */
export interface Outcomes {
  readonly accepted: number;
  readonly duplicate: number;
}

/**
 * One scenario's world: its own database and queues, product B consuming OrderCalculated and
 * deduplicating on eventId from the start, and the service processes the scenario runs.
 */
export class FaultScenario {
  private readonly services: ServiceProcess[] = [];
  private readonly gates: DatabaseGate[] = [];
  private closing = false;

  private constructor(
    readonly database: TestDatabase,
    readonly broker: TestBroker,
    readonly productB: ProductBConsumer,
    readonly servers: ScenarioServers,
  ) {}

  /**
   * The queues are declared through the first node of `servers.rabbitmqUrl`: their leaders start
   * there, unless one was declared beforehand under `names` (a cluster scenario places a leader).
   */
  static async open(
    servers: ScenarioServers = SYSTEM_SERVERS,
    names: BrokerNames = uniqueBrokerNames(),
  ): Promise<FaultScenario> {
    const database = await TestDatabase.create(servers.postgresUrl);
    const broker = await TestBroker.connect(names, servers.testRabbitmqUrl);
    await declareTopology(servers.rabbitmqUrl, topologyOf(broker.names));
    const productB = await ProductBConsumer.start(
      broker.names.EVENTS_QUEUE,
      () => Promise.resolve(),
      servers.testRabbitmqUrl,
    );
    return new FaultScenario(database, broker, productB, servers);
  }

  get names() {
    return this.broker.names;
  }

  async startService(options: ServiceOptions = {}): Promise<ServiceProcess> {
    const service = ServiceProcess.launch(this.serviceEnvironment(options));
    this.services.push(service);
    onTestFailed(() => printLogTail([service]));
    await service.waitForLog(READY_LINE, 30_000);
    return service;
  }

  /**
   * Runs the service like a Kubernetes container with restartPolicy Always: a process that dies is
   * replaced at once (without waiting for it to consume: it may die again before it says so).
   */
  superviseService(options: ServiceOptions = {}): Supervised {
    const supervised = { processes: [] as ServiceProcess[], deaths: 0 };
    onTestFailed(() => printLogTail(supervised.processes));
    const run = async () => {
      while (!this.closing) {
        const service = ServiceProcess.launch(this.serviceEnvironment(options));
        this.services.push(service);
        supervised.processes.push(service);
        await service.untilExit();
        if (!this.closing) supervised.deaths += 1;
      }
    };
    void run();
    return supervised;
  }

  private serviceEnvironment({ environment = {}, brokerProxy }: ServiceOptions): Record<string, string> {
    const { rabbitmqUrl } = this.servers;
    return serviceEnvironment(this.database.url, this.names, {
      INBOUND_PREFETCH: String(PREFETCH),
      // The scenarios' orders are small: a message limit to match keeps PREFETCH within the byte budget.
      INBOUND_MAX_MESSAGE_BYTES: String(64 * 1024),
      RABBITMQ_URL: brokerProxy ? brokerProxy.route(rabbitmqUrl) : rabbitmqUrl,
      ...environment,
    });
  }

  /** `count` new valid orders, published as one confirmed burst; each message_id is its externalId. */
  async publishOrders(count = BURST): Promise<OrderMessage[]> {
    const orders = Array.from({ length: count }, () => anOrderMessage());
    await this.broker.publishAll(orders.map(asMessage));
    return orders;
  }

  /** A gate in the service's statements (see DatabaseGate), opened for good when the scenario closes. */
  async installGate(event: string, table: string): Promise<DatabaseGate> {
    const gate = await DatabaseGate.install(this.database, event, table);
    this.gates.push(gate);
    return gate;
  }

  /**
   * Publishes a burst and, once a quarter of it is committed, freezes `service` in the middle of a
   * transaction: a gate on the orders insert closes and the next batch waits at it, deliveries in hand.
   */
  async freezeIntakeMidBurst(service: ServiceProcess): Promise<FrozenIntake> {
    const gate = await this.installGate('BEFORE INSERT', 'orders');
    const orders = await this.publishOrders();
    await this.untilCommitted((count) => count >= BURST / 4, 'a quarter of the burst');
    await gate.close();
    await gate.untilHolding(service.name, PATIENCE_MS);
    return { orders, gate, committed: await this.committedOrders() };
  }

  /** Waits until a killed process holds no connection: one held at a gate ends once the gate opens. */
  async untilDisconnected(service: ServiceProcess): Promise<void> {
    await eventually(
      async () => ((await this.database.connectionsOf(service.name)) === 0 ? true : undefined),
      PATIENCE_MS,
      `${service.name} to hold no connection`,
    );
  }

  /**
   * Publishes a burst while the broker hears nothing from the service behind `proxy` (stalled: not
   * an ack, not a publish gets through), and returns once the service has committed every delivery
   * the broker let it have: PREFETCH of them.
   */
  async publishUnheard(proxy: TcpProxy): Promise<OrderMessage[]> {
    proxy.stallClients();
    const orders = await this.publishOrders();
    await this.untilCommitted((count) => count >= PREFETCH, 'the deliveries in hand');
    return orders;
  }

  async committedOrders(): Promise<number> {
    const [{ count }] = await this.database.query<{ count: number }>('SELECT count(*)::int AS count FROM orders');
    return count;
  }

  async pendingEvents(): Promise<number> {
    const [{ count }] = await this.database.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM outbox WHERE published_at IS NULL',
    );
    return count;
  }

  /** Waits until `condition` holds for the number of committed orders, and returns that number. */
  untilCommitted(condition: (count: number) => boolean, what: string): Promise<number> {
    return eventually(
      async () => {
        const count = await this.committedOrders();
        return condition(count) ? count : undefined;
      },
      PATIENCE_MS,
      what,
    );
  }

  async close(): Promise<void> {
    this.closing = true;
    // The scenario is over: no need to wait for a graceful shutdown of what is left running.
    await Promise.all(this.services.map((service) => service.stop('SIGKILL')));
    await Promise.all(this.gates.map((gate) => gate.disconnect()));
    await this.productB.stop();
    await this.broker.deleteAll();
    await this.broker.close();
    await this.database.drop();
  }
}

/**
 * What a failed scenario shows of each service's log, a CI run's only account of the service's side:
 * its latest lines but those about one message each (connections, warnings, errors, a crash's stderr).
 */
const LOG_LINES_SHOWN = 80;

function printLogTail(services: readonly ServiceProcess[]): void {
  for (const service of services) {
    const notable = service.logs
      .split('\n')
      .filter((line) => line.trim() !== '' && !(line.includes('"level":"info"') && line.includes('"messageId"')))
      .slice(-LOG_LINES_SHOWN);
    console.log(
      `[reliability] ${service.name}: its last ${notable.length} lines but those about one message\n${notable.join('\n')}`,
    );
  }
}

export function asMessage(order: OrderMessage): OutgoingMessage {
  return { body: order, options: { messageId: order.externalId } };
}

export function outcomesOf(service: ServiceProcess): Outcomes {
  const count = (text: string) => service.logs.split(text).length - 1;
  return { accepted: count('"outcome":"accepted"'), duplicate: count('"outcome":"duplicate"') };
}

/** One sample of a Prometheus metric that `service` exposes, e.g. `order_events_published_total`. */
export async function metricOf(service: ServiceProcess, sample: string): Promise<number> {
  const text = await (await fetch(`${service.baseUrl}/metrics`)).text();
  const line = text.split('\n').find((row) => row.startsWith(`${sample} `));
  if (!line) throw new Error(`no metric ${sample} in:\n${text}`);
  return Number(line.slice(sample.length + 1));
}
