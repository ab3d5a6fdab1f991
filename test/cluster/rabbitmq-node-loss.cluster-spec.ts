import { describe, expect, inject, it, type TestContext } from 'vitest';
import type { OrderMessage } from '../fixtures/order.mother.js';
import { eventually } from '../support/test-broker.js';
import { type FaultScenario, outcomesOf, PATIENCE_MS } from '../reliability/support/fault-scenario.js';
import { expectInvariants } from '../reliability/support/invariants.js';
import {
  type ClusterScenarioNodes,
  consumedOn,
  openOnCluster,
  startServicePerNode,
} from './support/cluster-scenario.js';
import { CommitTimeline, formatImpact } from './support/commit-timeline.js';
import { RabbitmqCluster, type RabbitmqNodeSpec } from './support/rabbitmq-cluster.js';

const BURST = 3_000;
const WHILE_DOWN = 1_000;

/** The queues a killed node may lead, by the name the annotations give them. */
const QUEUES = { inbound: 'INBOUND_QUEUE', 'order.calculated': 'EVENTS_QUEUE' } as const;
type LedQueue = keyof typeof QUEUES;

describe('scenario 1: the RabbitMQ node leading the queues is killed under load', () => {
  const cluster = RabbitmqCluster.attach(inject('rabbitmqCluster'));
  // The queues are declared through `doomed`, so their leaders are there; the test's own clients
  // (products A and B, rabbitmqctl) use `witness`, which stays up.
  const [doomed, witness] = cluster.nodes;

  it('kill -9 mid-burst: clients move to the other nodes; the node rejoins; nothing lost or dead-lettered', async (context) => {
    await killUnderLoad(context, cluster, { leader: doomed, witness }, doomed, ['inbound', 'order.calculated']);
  });
});

describe('scenario 1b: the RabbitMQ node leading only order.calculated is killed under load', () => {
  const cluster = RabbitmqCluster.attach(inject('rabbitmqCluster'));
  // The inbound queue stays led by `leader`; product B's queue is declared through `doomed` first,
  // so the relay's publishes are what the kill hits. The test's own clients use `witness`.
  const [leader, witness, doomed] = cluster.nodes;

  it('kill -9 mid-burst: the relays publish to the new leader; product B receives every OrderCalculated', async (context) => {
    await killUnderLoad(context, cluster, { leader, eventsLeader: doomed, witness }, doomed, ['order.calculated']);
  });
});

/**
 * One service process per node and a burst; once product B has received a quarter of it (intake
 * and relay both in flight), `kill -9` of `doomed`, which leads exactly the queues `leads` names,
 * while product A keeps publishing; the node then comes back and rejoins. Ends with the
 * reliability invariants, and annotates the figures for both the intake and product B's receipts.
 */
async function killUnderLoad(
  context: TestContext,
  cluster: RabbitmqCluster,
  nodes: ClusterScenarioNodes,
  doomed: RabbitmqNodeSpec,
  leads: readonly LedQueue[],
): Promise<void> {
  const scenario = await openOnCluster(cluster, nodes);
  const intake = new CommitTimeline(() => scenario.committedOrders());
  const receipts = new CommitTimeline(() => Promise.resolve(received(scenario)));
  try {
    const leaderOf = (queue: LedQueue) => cluster.leaderOf(scenario.names[QUEUES[queue]], nodes.witness);
    const ledByDoomed: LedQueue[] = [];
    for (const queue of Object.keys(QUEUES) as LedQueue[]) {
      if ((await leaderOf(queue)) === doomed) ledByDoomed.push(queue);
    }
    expect(ledByDoomed).toEqual(leads);
    const services = await startServicePerNode(scenario, cluster);

    const orders: OrderMessage[] = await scenario.publishOrders(BURST);
    await untilReceived(scenario, BURST / 4, 'a quarter of the burst');
    const killedAt = Date.now();
    await cluster.kill(doomed);
    // Product A keeps publishing: its confirms wait for the new leader.
    const publishedWhileDown = scenario.publishOrders(WHILE_DOWN);
    const elections = await Promise.all(
      leads.map(async (queue) => {
        const newLeader = await eventually(
          () =>
            leaderOf(queue)
              .then((leader) => (leader === doomed ? undefined : leader))
              .catch(() => undefined), // no leader at all, for a moment
          PATIENCE_MS,
          `a new leader of ${queue}`,
        );
        return `new ${queue} leader ${newLeader.name} ${Date.now() - killedAt} ms after kill -9`;
      }),
    );
    orders.push(...(await publishedWhileDown));
    await scenario.untilCommitted((count) => count >= orders.length, 'every order, one node down');
    await untilReceived(scenario, orders.length, 'every OrderCalculated, one node down');
    const impacts = [formatImpact(intake.impactOf(killedAt)), formatImpact(receipts.impactOf(killedAt), 'product B')];

    const restartedAt = Date.now();
    await cluster.startNode(doomed);
    await eventually(() => cluster.isWhole().then((whole) => whole || undefined), PATIENCE_MS, 'the node rejoined');
    const rejoinedMs = Date.now() - restartedAt;

    const counts = await expectInvariants(context, scenario, { accepted: orders.map((order) => order.externalId) });
    const moved = services.filter((service) => new Set(consumedOn(service)).size > 1).length;
    await context.annotate(
      `${orders.length} orders published, ${counts.accepted - counts.lost} calculated, ${counts.deadLettered} dead-lettered; ` +
        `${elections.join('; ')}; ${impacts.join('; ')}; ${moved} of ${services.length} processes moved node; ` +
        `the node rejoined ${rejoinedMs} ms after its restart; duplicate deliveries absorbed: ` +
        `${services.reduce((sum, service) => sum + outcomesOf(service).duplicate, 0)}; ` +
        `OrderCalculated redelivered to product B (deduplicated by eventId): ${counts.eventRedeliveries}`,
      'failover',
    );
    expect(moved).toBeGreaterThanOrEqual(1);
    for (const service of services) expect(service.logs).not.toContain('Processing failed');
  } finally {
    await Promise.all([intake.stop(), receipts.stop()]);
    await scenario.close();
    // The next scenario needs the whole cluster, however this one ended.
    if (!cluster.isRunning(doomed)) await cluster.startNode(doomed);
  }
}

/** OrderCalculated events product B has handled, each eventId once. */
function received(scenario: FaultScenario): number {
  return scenario.productB.handled.size;
}

function untilReceived(scenario: FaultScenario, count: number, what: string): Promise<true> {
  return eventually(() => (received(scenario) >= count ? true : undefined), PATIENCE_MS, `${what} at product B`);
}
