import type { ServiceProcess } from '../../support/service-process.js';
import { uniqueBrokerNames } from '../../support/test-broker.js';
import { SERVER_URL } from '../../support/test-database.js';
import { FaultScenario } from '../../reliability/support/fault-scenario.js';
import type { RabbitmqCluster, RabbitmqNodeSpec } from './rabbitmq-cluster.js';

export interface ClusterScenarioNodes {
  /** The node the queues are declared through, so the one that leads them. */
  readonly leader: RabbitmqNodeSpec;
  /** The node that leads product B's `order.calculated` instead, when it should be another one. */
  readonly eventsLeader?: RabbitmqNodeSpec;
  /** The node the test's own clients (products A and B, rabbitmqctl) use: one the scenario leaves up. */
  readonly witness: RabbitmqNodeSpec;
  /** The Postgres server, without a database: the system one unless the scenario brings its own. */
  readonly postgresUrl?: string;
}

/** A reliability FaultScenario, its queues on the cluster. */
export async function openOnCluster(
  cluster: RabbitmqCluster,
  { leader, eventsLeader = leader, witness, postgresUrl = SERVER_URL }: ClusterScenarioNodes,
): Promise<FaultScenario> {
  const names = uniqueBrokerNames();
  // Declared first, so that the topology declared through `leader` finds it there and keeps it.
  if (eventsLeader !== leader) await cluster.declareQueueLedBy(eventsLeader, names.EVENTS_QUEUE);
  return FaultScenario.open(
    {
      rabbitmqUrl: cluster.urlsStartingAt(leader),
      testRabbitmqUrl: cluster.url(witness),
      broker: cluster.target(witness),
      postgresUrl,
    },
    names,
  );
}

/** One service process per node (of `nodes`: all by default), each with RABBITMQ_URL listing every node, its own first. */
export function startServicePerNode(
  scenario: FaultScenario,
  cluster: RabbitmqCluster,
  environment: Record<string, string> = {},
  nodes: readonly RabbitmqNodeSpec[] = cluster.nodes,
): Promise<ServiceProcess[]> {
  return Promise.all(
    nodes.map((node) =>
      scenario.startService({ environment: { ...environment, RABBITMQ_URL: cluster.urlsStartingAt(node) } }),
    ),
  );
}

/** The nodes (host:port) a service process consumed the inbound queue on, in order, read from its log. */
export function consumedOn(service: ServiceProcess): string[] {
  return [...service.logs.matchAll(/Consuming on (\S+): /g)].map((match) => match[1]);
}
