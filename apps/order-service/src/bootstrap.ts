import { Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import type { Environment } from './config/environment.js';
import { declareTopology, topologyOf } from './outbound/amqp/amqp-topology.js';
import { createDataSource } from './outbound/postgres/data-source.js';
import { ensureDatabaseExists, runMigrations } from './outbound/postgres/database-bootstrap.js';
import { isTransientPostgresError } from './outbound/postgres/postgres-errors.js';
import { backoffDelay } from './resilience/backoff.js';

const logger = new Logger('Bootstrap');
const FIRST_RETRY_DELAY_MS = 500;

/**
 * Waits for a dependency that is still starting (a pod scheduled before its database) or away for
 * a moment (a failover), loudly: `attempt` runs again while it fails with an error `retryIf` accepts.
 */
export async function untilReady<T>(
  what: string,
  attempt: () => Promise<T>,
  retryIf: (error: unknown) => boolean = () => true,
  maxDelayMs = 5_000,
): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (!retryIf(error)) throw error;
      const delay = backoffDelay(tries, FIRST_RETRY_DELAY_MS, maxDelayMs);
      logger.warn(`${what} not ready (${(error as Error).message}); retrying in ${delay} ms`);
      await sleep(delay);
    }
  }
}

/**
 * Database created and migrated (when MIGRATIONS_RUN), pool open. With MIGRATION_DATABASE_URL set
 * (a direct connection beside a transaction pooler), the migrations run first, on connections of
 * their own that are closed before the service's pool opens.
 */
export async function prepareDatabase(environment: Environment): Promise<DataSource> {
  const migrationUrl = environment.MIGRATION_DATABASE_URL || environment.DATABASE_URL;
  const separate = migrationUrl !== environment.DATABASE_URL;
  const migrate = (dataSource: DataSource) =>
    untilReady('PostgreSQL', () => runMigrations(dataSource), isTransientPostgresError);
  if (environment.MIGRATIONS_RUN) {
    await untilReady('PostgreSQL', () => ensureDatabaseExists(migrationUrl));
    if (separate) {
      // Two: the advisory lock holds one connection while the migrations run on the other.
      const migrating = await openDataSource(migrationUrl, 2, environment);
      await migrate(migrating).finally(() => migrating.destroy());
    }
  }
  const dataSource = await openDataSource(environment.DATABASE_URL, environment.DATABASE_POOL_SIZE, environment);
  if (environment.MIGRATIONS_RUN && !separate) await migrate(dataSource);
  return dataSource;
}

async function openDataSource(url: string, poolSize: number, environment: Environment): Promise<DataSource> {
  const dataSource = createDataSource({
    url,
    poolSize,
    applicationName: environment.SERVICE_NAME,
    connectTimeoutMs: environment.DATABASE_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: environment.DATABASE_STATEMENT_TIMEOUT_MS,
  });
  await untilReady('PostgreSQL', () => dataSource.initialize());
  return dataSource;
}

export async function prepareBroker(environment: Environment): Promise<void> {
  await untilReady('RabbitMQ', () => declareTopology(environment.RABBITMQ_URL, topologyOf(environment)));
}
