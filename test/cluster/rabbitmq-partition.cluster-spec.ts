import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { OrderMessage } from '../fixtures/order.mother.js';
import { eventually } from '../support/test-broker.js';
import { type FaultScenario, outcomesOf, PATIENCE_MS } from '../reliability/support/fault-scenario.js';
import { expectInvariants } from '../reliability/support/invariants.js';
import { consumedOn, openOnCluster, startServicePerNode } from './support/cluster-scenario.js';
import { CommitTimeline, formatImpact } from './support/commit-timeline.js';
import { RabbitmqCluster } from './support/rabbitmq-cluster.js';

const BURST = 3_000;
const WHILE_CUT_OFF = 1_000;

describe('scenario 3: one RabbitMQ node partitioned from the other two under load', () => {
  const cluster = RabbitmqCluster.attach(inject('rabbitmqCluster'));
  // The queues are led by `leader`, the test's clients use `witness`; `minority` is cut off.
  const [leader, witness, minority] = cluster.nodes;
  let scenario: FaultScenario;
  let timeline: CommitTimeline | undefined;

  beforeAll(async () => {
    scenario = await openOnCluster(cluster, { leader, witness });
  });

  afterAll(async () => {
    await timeline?.stop();
    await scenario?.close();
    // The next scenario needs the whole cluster, however this one ended.
    await cluster.heal(minority);
    await eventually(() => cluster.isWhole().then((whole) => whole || undefined), PATIENCE_MS, 'the cluster whole');
  });

  it('the minority node pauses: its clients move to the majority; nothing lost after the heal', async (context) => {
    const services = await startServicePerNode(scenario, cluster);
    const onMinority = services[cluster.nodes.indexOf(minority)];
    const minorityAddress = `127.0.0.1:${minority.amqpPort}`;
    expect(consumedOn(onMinority)).toEqual([minorityAddress]);
    timeline = new CommitTimeline(() => scenario.committedOrders());

    const orders: OrderMessage[] = await scenario.publishOrders(BURST);
    await scenario.untilCommitted((count) => count >= BURST / 4, 'a quarter of the burst');
    const partitionedAt = Date.now();
    await cluster.partition(minority);
    const publishedWhileCutOff = scenario.publishOrders(WHILE_CUT_OFF);
    await eventually(
      () => (consumedOn(onMinority).at(-1) === minorityAddress ? undefined : true),
      PATIENCE_MS,
      'the minority node client consuming on another node',
    );
    const movedMs = Date.now() - partitionedAt;
    expect(await cluster.isWhole()).toBe(false);
    orders.push(...(await publishedWhileCutOff));
    await scenario.untilCommitted((count) => count >= BURST + WHILE_CUT_OFF, 'every order, one node cut off');
    const impact = timeline.impactOf(partitionedAt);

    const healedAt = Date.now();
    await cluster.heal(minority);
    await eventually(() => cluster.isWhole().then((whole) => whole || undefined), PATIENCE_MS, 'the node back');
    const rejoinedMs = Date.now() - healedAt;

    const counts = await expectInvariants(context, scenario, { accepted: orders.map((order) => order.externalId) });
    await context.annotate(
      `${orders.length} orders published, ${counts.accepted - counts.lost} calculated, ${counts.deadLettered} dead-lettered; ` +
        `the minority node's consumer on ${consumedOn(onMinority).at(-1)} ${movedMs} ms after the partition; ` +
        `${formatImpact(impact)}; the node serving again ${rejoinedMs} ms after the heal; ` +
        `duplicate deliveries absorbed: ${services.reduce((sum, service) => sum + outcomesOf(service).duplicate, 0)}`,
      'partition',
    );
    for (const service of services) expect(service.logs).not.toContain('Processing failed');
  });
});
