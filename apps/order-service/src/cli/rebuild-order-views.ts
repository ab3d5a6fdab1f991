import 'reflect-metadata';
import { Logger, type LogLevel } from '@nestjs/common';
import { RebuildOrderViewsCommand, RebuildOrderViewsCommandHandler } from '@app/ordering';
import { prepareDatabase, untilReady } from '../bootstrap.js';
import { loadEnvironment } from '../config/environment.js';
import { PinoLogger } from '../observability/pino.logger.js';
import { TypeOrmOrderViewStore } from '../outbound/postgres/typeorm-order-view.store.js';
import { TypeOrmOrderRepository } from '../outbound/postgres/typeorm-order.repository.js';
import { TypeOrmUnitOfWork } from '../outbound/postgres/typeorm-unit-of-work.js';
import { isTransientPostgresError } from '../outbound/postgres/postgres-errors.js';

/**
 * `npm run rebuild:read-model`: rewrites the read table from the write model (after a change to the
 * view's shape, or to repair it), safe while the service runs. A one-shot composition root: only
 * the database adapters are needed, not the broker.
 */
async function rebuild(): Promise<void> {
  const environment = loadEnvironment();
  Logger.overrideLogger(new PinoLogger(environment.LOG_LEVEL as LogLevel, environment.SERVICE_NAME));
  const dataSource = await prepareDatabase(environment);
  try {
    const unitOfWork = new TypeOrmUnitOfWork(dataSource);
    const handler = new RebuildOrderViewsCommandHandler(
      new TypeOrmOrderRepository(unitOfWork),
      new TypeOrmOrderViewStore(unitOfWork),
      unitOfWork,
    );
    const started = Date.now();
    // Safe to run again from the start: an upsert never lets an older state replace a newer one.
    const { rebuilt } = await untilReady(
      'PostgreSQL',
      () => handler.execute(new RebuildOrderViewsCommand()),
      isTransientPostgresError,
    );
    new Logger('RebuildOrderViews').log({ message: 'Read table rebuilt', rebuilt, durationMs: Date.now() - started });
  } finally {
    await dataSource.destroy();
  }
}

rebuild().catch((error: unknown) => {
  // eslint-disable-next-line no-console -- a one-shot command: its failure goes to stderr
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
