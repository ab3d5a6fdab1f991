import { DataSource } from 'typeorm';
import { migrations } from './migrations/index.js';
import { OrderLineOrmEntity } from './order-line.orm-entity.js';
import { OrderOrmEntity } from './order.orm-entity.js';
import { OutboxMessageOrmEntity } from './outbox-message.orm-entity.js';

export const entities = [OrderOrmEntity, OrderLineOrmEntity, OutboxMessageOrmEntity];

export interface DatabaseSettings {
  readonly url: string;
  readonly poolSize: number;
  readonly applicationName: string;
}

/** Migrations only: the schema is never synchronized from the entities. */
export function createDataSource(settings: DatabaseSettings): DataSource {
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
    connectTimeoutMS: 5_000,
    extra: {
      // A stuck query must not hold a delivery (and its prefetch slot) forever.
      statement_timeout: 30_000,
      idle_in_transaction_session_timeout: 60_000,
    },
  });
}
