import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { OrderMessage } from '../fixtures/order.mother.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import type { FaultScenario } from '../reliability/support/fault-scenario.js';
import { expectInvariants } from '../reliability/support/invariants.js';
import { POSTGRES_PAIR_PORTS } from './support/cluster-ports.js';
import { openOnCluster, startServicePerNode } from './support/cluster-scenario.js';
import { CommitTimeline, formatImpact } from './support/commit-timeline.js';
import { PostgresPair, type PostgresServer, query } from './support/postgres-pair.js';
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

const UNSYNCHRONIZED_COMMITS = 100;

/*
 * Not a setting of the service: what synchronous replication is for. The standby's replication goes
 * through a proxy the test cuts, so the standby misses whatever the primary commits afterwards.
 */
describe('scenario 2b, the contrast: with synchronous_commit off, a failover loses acknowledged commits', () => {
  let replication: TcpProxy;
  let pair: PostgresPair;

  beforeAll(async () => {
    replication = await TcpProxy.start(POSTGRES_PAIR_PORTS.primary);
    pair = await PostgresPair.start({ ...POSTGRES_PAIR_PORTS, replication: replication.port });
  });

  afterAll(async () => {
    pair?.stop();
    await replication?.cut();
  });

  it('replication cut: a synchronous commit waits, unacknowledged; commits made with it off return, and are gone', async (context) => {
    await query(pair.primary, 'CREATE TABLE acknowledged (mode text)');
    await replication.cut();
    const [waiting, unsynchronized] = await Promise.all([connectTo(pair.primary), connectTo(pair.primary)]);

    const synchronousCommit = waiting.query("INSERT INTO acknowledged VALUES ('synchronous')").then(
      () => 'acknowledged',
      () => 'failed with the primary',
    );
    const afterTwoSeconds = sleep(2_000).then(() => 'still waiting for the standby');
    expect(await Promise.race([synchronousCommit, afterTwoSeconds])).toBe('still waiting for the standby');
    await unsynchronized.query('SET synchronous_commit = off');
    for (let commit = 0; commit < UNSYNCHRONIZED_COMMITS; commit++) {
      await unsynchronized.query("INSERT INTO acknowledged VALUES ('off')");
    }

    await pair.crashPrimary();
    await pair.promoteStandby();
    const survivors = await query<{ mode: string }>(pair.standby, 'SELECT mode FROM acknowledged');
    await context.annotate(
      `synchronous commit: ${await synchronousCommit}, never acknowledged; synchronous_commit off: ` +
        `${UNSYNCHRONIZED_COMMITS} acknowledged, ${survivors.length} on the promoted standby`,
      'contrast',
    );
    expect(await synchronousCommit).toBe('failed with the primary');
    expect(survivors).toEqual([]);
  });
});

async function connectTo(server: PostgresServer): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: PostgresPair.url(server, 'postgres') });
  client.on('error', () => undefined); // the primary is crashed under it
  await client.connect();
  return client;
}
