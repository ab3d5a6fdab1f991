import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareDatabase } from '../../apps/order-service/src/bootstrap.js';
import { loadEnvironment } from '../../apps/order-service/src/config/environment.js';
import { TcpProxy } from '../support/tcp-proxy.js';

const SERVER_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';

/*
 * DATABASE_URL goes through a TCP proxy (standing for PgBouncer), MIGRATION_DATABASE_URL straight
 * to the server: the database is created and migrated through the direct one, and the service's
 * pool is the proxied one.
 */
describe('prepareDatabase with MIGRATION_DATABASE_URL', () => {
  const name = `order_service_test_${randomBytes(6).toString('hex')}`;
  let proxy: TcpProxy | undefined;

  afterAll(async () => {
    await proxy?.cut();
    const client = new pg.Client({ connectionString: `${SERVER_URL}/postgres` });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.end();
  });

  it('creates and migrates the database through the migration URL, and pools through DATABASE_URL', async () => {
    proxy = await TcpProxy.start(5432);
    const direct = `${SERVER_URL}/${name}`;
    const environment = loadEnvironment({
      DATABASE_URL: proxy.route(direct),
      MIGRATION_DATABASE_URL: direct,
      SERVICE_NAME: 'migration-url-test',
    });
    // The proxy refuses connections until the migrations are done: they cannot have used it.
    await proxy.cut();
    const preparing = prepareDatabase(environment);
    const migrated = await waitForMigrations(direct);
    await proxy.open();
    const dataSource = await preparing;
    try {
      expect(migrated).toBe(true);
      const [{ count }] = await dataSource.query<{ count: number }[]>('SELECT count(*)::int AS count FROM orders');
      expect(count).toBe(0);
      // The pool is the proxied one: cut the proxy, and its queries fail.
      await proxy.cut();
      await expect(dataSource.query('SELECT 1')).rejects.toThrow();
    } finally {
      await dataSource.destroy();
    }
  });
});

/** True once the orders table exists in the database at `url`. */
async function waitForMigrations(url: string): Promise<boolean> {
  for (let tries = 0; tries < 300; tries++) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      const { rows } = await client.query<{ exists: boolean }>(`SELECT to_regclass('orders') IS NOT NULL AS exists`);
      if (rows[0].exists) return true;
    } catch {
      // not created yet
    } finally {
      await client.end().catch(() => undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}
