import { Logger } from '@nestjs/common';
import pg, { type Pool } from 'pg';
import { DataSource } from 'typeorm';
import { Environment } from '../../config/environment.js';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { migrations } from './migrations/index.js';
import { OrderLineOrmEntity } from './order-line.orm-entity.js';
import { OrderOrmEntity } from './order.orm-entity.js';
import { OutboxMessageOrmEntity } from '../outbox/postgres/outbox-message.orm-entity.js';

export const entities = [OrderOrmEntity, OrderLineOrmEntity, OutboxMessageOrmEntity];

export interface DatabaseSettings {
  readonly url: string;
  readonly poolSize: number;
  readonly applicationName: string;
  /** The environment's defaults when not given. */
  readonly connectTimeoutMs?: number;
  readonly statementTimeoutMs?: number;
}

const defaults = new Environment();
/** How much longer than the server's statement timeout the client waits for an answer at all. */
const QUERY_TIMEOUT_MARGIN_MS = 5_000;
/** TCP keepalive probes after this much silence find a peer that vanished without a FIN (a failed-over host). */
const KEEPALIVE_INITIAL_DELAY_MS = 10_000;
const logger = new Logger('PostgresClient');

/**
 * A pg client that always has an 'error' listener. The pool hands a new client over while it is
 * still parsing the packet that made it ready; when a FATAL message (pg_terminate_backend, a server
 * restart) arrives in that same packet, pg emits 'error' before TypeORM has attached its listener,
 * and an 'error' event without a listener ends the process (node-postgres issue 2762). Logging it
 * here is all there is to do: the client is unusable from then on, its next query fails as a
 * transient error, and the pool discards it when it comes back.
 */
class ListenedClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    this.on('error', (error: Error & { code?: string }) =>
      logger.warn({ message: 'PostgreSQL connection lost', error: error.message, code: error.code }),
    );
  }
}

/** Migrations only: the schema is never synchronized from the entities. */
export function createDataSource(settings: DatabaseSettings): DataSource {
  const statementTimeoutMs = settings.statementTimeoutMs ?? defaults.DATABASE_STATEMENT_TIMEOUT_MS;
  return new DataSource({
    type: 'postgres',
    url: settings.url,
    entities,
    migrations,
    synchronize: false,
    migrationsRun: false,
    migrationsTableName: 'schema_migrations',
    poolSize: settings.poolSize,
    applicationName: settings.applicationName,
    connectTimeoutMS: settings.connectTimeoutMs ?? defaults.DATABASE_CONNECT_TIMEOUT_MS,
    extra: {
      Client: ListenedClient,
      keepAlive: true,
      keepAliveInitialDelayMillis: KEEPALIVE_INITIAL_DELAY_MS,
      // A stuck query must not hold a delivery (and its prefetch slot) forever; a silent server neither.
      statement_timeout: statementTimeoutMs,
      query_timeout: statementTimeoutMs + QUERY_TIMEOUT_MARGIN_MS,
      idle_in_transaction_session_timeout: 60_000,
    },
  });
}

/**
 * The driver's own pool, for a statement outside a transaction: through TypeORM it would take a
 * query runner per statement (create, connect, release, events), which costs as much as a short query.
 * `driver.master` is TypeORM's internal, not its API: data-source.int-spec.ts fails if it moves.
 */
export function driverPool(dataSource: DataSource): Pool {
  return (dataSource.driver as PostgresDriver).master as Pool;
}
