import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { TcpProxy } from './tcp-proxy.js';
import { createDataSource } from '../../apps/order-service/src/outbound/postgres/data-source.js';
import {
  ensureDatabaseExists,
  runMigrations,
} from '../../apps/order-service/src/outbound/postgres/database-bootstrap.js';

export const SERVER_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';

/** A database of its own for one test file: created, migrated, and dropped at the end. */
export class TestDatabase {
  private constructor(
    readonly name: string,
    readonly url: string,
    readonly dataSource: DataSource,
    private readonly serverUrl: string,
  ) {}

  /** `serverUrl`: a server's URL without a database (the system server by default). */
  static async create(serverUrl = SERVER_URL): Promise<TestDatabase> {
    const name = `order_service_test_${randomBytes(6).toString('hex')}`;
    const url = `${serverUrl}/${name}`;
    await ensureDatabaseExists(url);
    const dataSource = createDataSource({ url, poolSize: 10, applicationName: 'order-service-test' });
    await dataSource.initialize();
    await runMigrations(dataSource);
    return new TestDatabase(name, url, dataSource, serverUrl);
  }

  /**
   * Runs `scenario` with a pool that reaches this database through a TCP proxy the scenario may cut,
   * as a network partition or a database restart would.
   */
  async throughProxy(scenario: (dataSource: DataSource, proxy: TcpProxy) => Promise<void>): Promise<void> {
    const proxy = await TcpProxy.start(5432);
    const dataSource = createDataSource({
      url: proxy.route(this.url),
      poolSize: 2,
      applicationName: 'order-service-test',
    });
    await dataSource.initialize();
    try {
      await scenario(dataSource, proxy);
    } finally {
      await dataSource.destroy().catch(() => undefined);
      await proxy.cut();
    }
  }

  /**
   * A real fault inside the database: every insert of an order whose externalId starts with
   * `prefix` fails, whatever the retry, so the service ends up dead-lettering it processing-failed.
   */
  async poisonOrders(prefix: string): Promise<void> {
    await this.query(`
      CREATE FUNCTION reject_poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'poison order %', NEW.external_id; END $$`);
    await this.query(`
      CREATE TRIGGER reject_poison BEFORE INSERT ON orders
      FOR EACH ROW WHEN (starts_with(NEW.external_id, '${prefix.replaceAll("'", "''")}')) EXECUTE FUNCTION reject_poison()`);
  }

  async curePoisonedOrders(): Promise<void> {
    await this.query('DROP TRIGGER reject_poison ON orders');
  }

  query<T = Record<string, unknown>>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    return this.dataSource.query(sql, parameters);
  }

  /** Connections `applicationName` holds to this database now. */
  async connectionsOf(applicationName: string): Promise<number> {
    const [{ count }] = await this.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`,
      [applicationName],
    );
    return count;
  }

  /** pg_terminate_backend on every connection `applicationName` holds to this database, and no other. */
  async terminateBackends(applicationName: string): Promise<number> {
    const [{ terminated }] = await this.query<{ terminated: number }>(
      `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS terminated
       FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`,
      [applicationName],
    );
    return terminated;
  }

  async drop(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.admin(`DROP DATABASE IF EXISTS "${this.name}" WITH (FORCE)`);
  }

  /** Runs a statement on the maintenance database (for faults: refusing or cutting connections). */
  async admin(sql: string, parameters: unknown[] = []): Promise<void> {
    const client = new pg.Client({ connectionString: `${this.serverUrl}/postgres` });
    await client.connect();
    try {
      await client.query(sql, parameters);
    } finally {
      await client.end();
    }
  }
}
