import type { RabbitmqClusterPorts } from './rabbitmq-cluster.js';
import type { PostgresPairPorts } from './postgres-pair.js';

/** Loopback ports of the suite's own servers, away from the system ones (5432, 5672, 25672). */
export const RABBITMQ_CLUSTER_PORTS: RabbitmqClusterPorts = { amqp: 5681, distribution: 25681 };
/** The capacity bench's lone node, the yardstick the cluster is compared with. */
export const RABBITMQ_SINGLE_NODE_PORTS: RabbitmqClusterPorts = { amqp: 5684, distribution: 25684 };
export const POSTGRES_PAIR_PORTS: PostgresPairPorts = { primary: 5441, standby: 5442 };
export const PGBOUNCER_PORT = 6441;
