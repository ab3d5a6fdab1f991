import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { OrderMessage } from '../fixtures/order.mother.js';
import { eventually } from '../support/test-broker.js';
import { type FaultScenario, outcomesOf, PATIENCE_MS } from '../reliability/support/fault-scenario.js';
import { expectInvariants } from '../reliability/support/invariants.js';
import { consumedOn, openOnCluster, startServicePerNode } from './support/cluster-scenario.js';
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
    scenario = await openOnCluster(cluster, { leader: doomed, witness });
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
    const services = await startServicePerNode(scenario, cluster);
    timeline = new CommitTimeline(() => scenario.committedOrders());

    const orders: OrderMessage[] = await scenario.publishOrders(BURST);
    await scenario.untilCommitted((count) => count >= BURST / 4, 'a quarter of the burst');
    const killedAt = Date.now();
    await cluster.kill(doomed);
    // Product A keeps publishing: its confirms wait for the new leader.
    const publishedWhileDown = scenario.publishOrders(WHILE_DOWN);
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
    orders.push(...(await publishedWhileDown));
    await scenario.untilCommitted((count) => count >= BURST + WHILE_DOWN, 'every order, one node down');
    const impact = timeline.impactOf(killedAt);

    const restartedAt = Date.now();
    await cluster.startNode(doomed);
    await eventually(() => cluster.isWhole().then((whole) => whole || undefined), PATIENCE_MS, 'the node rejoined');
    const rejoinedMs = Date.now() - restartedAt;

    const counts = await expectInvariants(context, scenario, { accepted: orders.map((order) => order.externalId) });
    const moved = services.filter((service) => new Set(consumedOn(service)).size > 1).length;
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
