import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { OrderApi } from '../support/order-api.js';
import { SERVER_URL } from '../support/test-database.js';
import type { FaultScenario } from '../reliability/support/fault-scenario.js';
import { expectInvariants } from '../reliability/support/invariants.js';
import { PGBOUNCER_PORT } from './support/cluster-ports.js';
import { openOnCluster, startServicePerNode } from './support/cluster-scenario.js';
import { PgBouncer, SERVER_POOL_SIZE } from './support/pgbouncer.js';
import { RabbitmqCluster } from './support/rabbitmq-cluster.js';

const BURST = 4_000;
/** Orders read back over REST, each by externalId and then by id. */
const READ_BACK = 50;

interface OrderPage {
  data: { orderId: string; externalId: string; status: string }[];
}

describe('scenario 4: the service behind PgBouncer in transaction mode', () => {
  const cluster = RabbitmqCluster.attach(inject('rabbitmqCluster'));
  let bouncer: PgBouncer;
  let scenario: FaultScenario;

  beforeAll(async () => {
    bouncer = await PgBouncer.start(PGBOUNCER_PORT, Number(new URL(SERVER_URL).port || 5432));
    const [first] = cluster.nodes;
    scenario = await openOnCluster(cluster, { leader: first, witness: first });
  });

  afterAll(async () => {
    await scenario?.close();
    bouncer?.stop();
  });

  it('intake, relay and REST through the pooler; migrations beside it, on a direct connection', async (context) => {
    const { database } = scenario;
    // Migrations take a session-level advisory lock: straight to Postgres, never through the pooler.
    const services = await startServicePerNode(scenario, cluster, {
      DATABASE_URL: bouncer.url(database.name),
      MIGRATION_DATABASE_URL: database.url,
    });

    const orders = await scenario.publishOrders(BURST);
    await scenario.untilCommitted((count) => count >= BURST / 2, 'half the burst');
    const midBurst = await bouncer.poolOf(database.name);
    const counts = await expectInvariants(context, scenario, { accepted: orders.map((order) => order.externalId) });

    const api = new OrderApi(services[0].baseUrl);
    for (const { externalId } of orders.slice(0, READ_BACK)) {
      const page = await api.get<OrderPage>(`/orders?externalId=${externalId}`);
      expect(page.body.data).toMatchObject([{ externalId, status: 'CALCULATED' }]);
      expect((await api.get(`/orders/${page.body.data[0].orderId}`)).status).toBe(200);
    }
    await context.annotate(
      `${orders.length} orders published, ${counts.accepted - counts.lost} calculated, ${counts.deadLettered} dead-lettered; ` +
        `mid-burst ${midBurst.clients} client connections of ${services.length} processes on ${midBurst.servers} ` +
        `server connections; ${READ_BACK} orders read back over REST through the pooler`,
      'pgbouncer',
    );
    expect(midBurst.servers).toBeLessThanOrEqual(SERVER_POOL_SIZE);
    for (const service of services) expect(service.logs).not.toContain('Processing failed');
  });
});
