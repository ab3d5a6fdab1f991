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

/** Database created and migrated (when MIGRATIONS_RUN), pool open. */
export async function prepareDatabase(environment: Environment): Promise<DataSource> {
  if (environment.MIGRATIONS_RUN) {
    await untilReady('PostgreSQL', () => ensureDatabaseExists(environment.DATABASE_URL));
  }
  const dataSource = createDataSource({
    url: environment.DATABASE_URL,
    poolSize: environment.DATABASE_POOL_SIZE,
    applicationName: environment.SERVICE_NAME,
    connectTimeoutMs: environment.DATABASE_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: environment.DATABASE_STATEMENT_TIMEOUT_MS,
  });
  await untilReady('PostgreSQL', () => dataSource.initialize());
  if (environment.MIGRATIONS_RUN) {
    await untilReady('PostgreSQL', () => runMigrations(dataSource), isTransientPostgresError);
  }
  return dataSource;
}

export async function prepareBroker(environment: Environment): Promise<void> {
  await untilReady('RabbitMQ', () =>
    declareTopology(environment.RABBITMQ_URL, topologyOf(environment, environment.PROCESSING_MAX_DELIVERIES)),
  );
}
