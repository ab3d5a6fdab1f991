import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { OrderMessage } from '../fixtures/order.mother.js';
import type { ServiceProcess } from '../support/service-process.js';
import { eventually } from '../support/test-broker.js';
import { SERVER_URL } from '../support/test-database.js';
import { FaultScenario, outcomesOf, PATIENCE_MS } from '../reliability/support/fault-scenario.js';
import { expectInvariants } from '../reliability/support/invariants.js';
import { CommitTimeline, formatImpact } from './support/commit-timeline.js';
import { RabbitmqCluster } from './support/rabbitmq-cluster.js';

const BURST = 3_000;
const WHILE_DOWN = 1_000;

describe('scenario 1: the RabbitMQ node leading the queues is killed under load', () => {
  const cluster = RabbitmqCluster.attach(inject('rabbitmqCluster'));
  // The queues are declared through `doomed`, so their leaders are there; the test's own clients
  // (products A and B, rabbitmqctl) use `witness`, which stays up.
  const [doomed, witness] = cluster.nodes;
  let scenario: FaultScenario;
  let timeline: CommitTimeline | undefined;

  beforeAll(async () => {
    scenario = await FaultScenario.open({
      rabbitmqUrl: cluster.urlsStartingAt(doomed),
      testRabbitmqUrl: cluster.url(witness),
      broker: cluster.target(witness),
      postgresUrl: SERVER_URL,
    });
  });

  afterAll(async () => {
    await timeline?.stop();
    await scenario?.close();
    // The next scenario needs the whole cluster, however this one ended.
    if (!cluster.isRunning(doomed)) await cluster.startNode(doomed);
  });

  it('kill -9 mid-burst: clients move to the other nodes; the node rejoins; nothing lost or dead-lettered', async (context) => {
    const { INBOUND_QUEUE, EVENTS_QUEUE } = scenario.names;
    expect(await cluster.leaderOf(INBOUND_QUEUE, witness)).toBe(doomed);
    expect(await cluster.leaderOf(EVENTS_QUEUE, witness)).toBe(doomed);
    // One service process starts on each node (its RABBITMQ_URL lists that node first).
    const services = await Promise.all(
      cluster.nodes.map((node) =>
        scenario.startService({ environment: { RABBITMQ_URL: cluster.urlsStartingAt(node) } }),
      ),
    );
    timeline = new CommitTimeline(() => scenario.committedOrders());

    const orders: OrderMessage[] = await scenario.publishOrders(BURST);
    await scenario.untilCommitted((count) => count >= BURST / 4, 'a quarter of the burst');
    const killedAt = Date.now();
    await cluster.kill(doomed);
    const inboundLeader = await eventually(
      () =>
        cluster
          .leaderOf(INBOUND_QUEUE, witness)
          .then((leader) => (leader === doomed ? undefined : leader))
          .catch(() => undefined), // no leader at all, for a moment
      PATIENCE_MS,
      'a new leader of the inbound queue',
    );
    const electedMs = Date.now() - killedAt;
    orders.push(...(await scenario.publishOrders(WHILE_DOWN)));
    await scenario.untilCommitted((count) => count >= BURST + WHILE_DOWN, 'every order, one node down');
    const impact = timeline.impactOf(killedAt);

    const restartedAt = Date.now();
    await cluster.startNode(doomed);
    await eventually(() => cluster.isWhole().then((whole) => whole || undefined), PATIENCE_MS, 'the node rejoined');
    const rejoinedMs = Date.now() - restartedAt;

    const counts = await expectInvariants(context, scenario, { accepted: orders.map((order) => order.externalId) });
    const moved = services.filter((service) => consumedOnNodes(service) > 1).length;
    await context.annotate(
      `${orders.length} orders published, ${counts.accepted - counts.lost} calculated, ${counts.deadLettered} dead-lettered; ` +
        `new inbound leader ${inboundLeader.name} ${electedMs} ms after kill -9; ${formatImpact(impact)}; ` +
        `${moved} of ${services.length} processes moved node; the node rejoined ${rejoinedMs} ms after its restart; ` +
        `duplicate deliveries absorbed: ${services.reduce((sum, service) => sum + outcomesOf(service).duplicate, 0)}`,
      'failover',
    );
    expect(moved).toBeGreaterThanOrEqual(1);
    for (const service of services) expect(service.logs).not.toContain('Processing failed');
  });
});

/** How many nodes a service process consumed the inbound queue on, read from its log. */
function consumedOnNodes(service: ServiceProcess): number {
  return new Set([...service.logs.matchAll(/Consuming \S+ on (\S+)/g)].map((match) => match[1])).size;
}
