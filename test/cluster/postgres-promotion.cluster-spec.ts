import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { OrderMessage } from '../fixtures/order.mother.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import type { FaultScenario } from '../reliability/support/fault-scenario.js';
import { expectInvariants } from '../reliability/support/invariants.js';
import { POSTGRES_PAIR_PORTS } from './support/cluster-ports.js';
import { openOnCluster, startServicePerNode } from './support/cluster-scenario.js';
import { CommitTimeline, formatImpact } from './support/commit-timeline.js';
import { PostgresPair, query } from './support/postgres-pair.js';
import { RabbitmqCluster } from './support/rabbitmq-cluster.js';

const BURST = 3_000;
const WHILE_DOWN = 1_000;

/*
 * The services reach Postgres through a TCP proxy that plays the Kubernetes Service or the managed
 * endpoint in front of the database: after the promotion it sends new connections to the standby.
 */
describe('scenario 2: the Postgres primary crashes under load and its synchronous standby is promoted', () => {
  const cluster = RabbitmqCluster.attach(inject('rabbitmqCluster'));
  let pair: PostgresPair;
  let endpoint: TcpProxy;
  let scenario: FaultScenario;
  let timeline: CommitTimeline | undefined;

  beforeAll(async () => {
    pair = await PostgresPair.start(POSTGRES_PAIR_PORTS);
    endpoint = await TcpProxy.start(pair.primary.port);
    const [first] = cluster.nodes;
    scenario = await openOnCluster(cluster, {
      leader: first,
      witness: first,
      postgresUrl: endpoint.route(PostgresPair.url(pair.primary)),
    });
  });

  afterAll(async () => {
    await timeline?.stop();
    await scenario?.close();
    await endpoint?.cut();
    pair?.stop();
  });

  it('every commit acknowledged before the crash is on the new primary; nothing lost, nothing dead-lettered', async (context) => {
    const services = await startServicePerNode(scenario, cluster);
    timeline = new CommitTimeline(() => scenario.committedOrders());

    const orders: OrderMessage[] = await scenario.publishOrders(BURST);
    await scenario.untilCommitted((count) => count >= BURST / 4, 'a quarter of the burst');
    // Committed, so acknowledged to the broker or about to be; more commit before the crash lands.
    const committedBeforeCrash = await scenario.committedOrders();
    const crashedAt = Date.now();
    await pair.crashPrimary();
    await endpoint.cut(); // the endpoint has no primary behind it until the promotion
    orders.push(...(await scenario.publishOrders(WHILE_DOWN)));
    await pair.promoteStandby();
    // Before any service reaches it: what the new primary holds is what the old one acknowledged.
    const [{ count: onNewPrimary }] = await query<{ count: number }>(
      pair.standby,
      'SELECT count(*)::int AS count FROM orders',
      [],
      scenario.database.name,
    );
    endpoint.switchTo(pair.standby.port);
    await endpoint.open();
    const promotedMs = Date.now() - crashedAt;

    await scenario.untilCommitted((count) => count >= BURST + WHILE_DOWN, 'every order, on the new primary');
    const impact = timeline.impactOf(crashedAt);
    const counts = await expectInvariants(context, scenario, { accepted: orders.map((order) => order.externalId) });
    await context.annotate(
      `${orders.length} orders published, ${counts.accepted - counts.lost} calculated, ${counts.deadLettered} dead-lettered; ` +
        `${committedBeforeCrash} seen committed just before the crash, ${onNewPrimary} on the promoted standby; ` +
        `promoted and reachable ${promotedMs} ms after the crash; ${formatImpact(impact)}`,
      'failover',
    );
    expect(onNewPrimary).toBeGreaterThanOrEqual(committedBeforeCrash);
    for (const service of services) expect(service.logs).not.toContain('Processing failed');
  });
});
