import type { TestProject } from 'vitest/node';
import { RABBITMQ_CLUSTER_PORTS } from './cluster-ports.js';
import { RabbitmqCluster, type RabbitmqClusterSpec } from './rabbitmq-cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    rabbitmqCluster: RabbitmqClusterSpec;
  }
}

const NODES = 3;

/**
 * One RabbitMQ cluster for the whole suite (three nodes take a minute to start on this machine);
 * each scenario leaves it whole again. Stopped by its nodes' pids when the run ends, however it ends.
 */
export default async function startRabbitmqCluster(project: TestProject): Promise<() => void> {
  const started = Date.now();
  const cluster = await RabbitmqCluster.start(NODES, RABBITMQ_CLUSTER_PORTS);
  console.log(`[cluster] ${NODES} RabbitMQ nodes clustered in ${Date.now() - started} ms`);
  project.provide('rabbitmqCluster', cluster.spec);
  return () => cluster.stop();
}
