import 'reflect-metadata';
import { loadEnvironment } from '../config/environment.js';
import { PostgresConsistencyChecker } from './postgres-consistency.checker.js';
import { createDataSource } from '../outbound/postgres/data-source.js';
import { errorMessage } from '../observability/error-message.js';
import { untilReady } from '../bootstrap.js';
import { isTransientPostgresError } from '../outbound/postgres/postgres-errors.js';

const CONSISTENT = 0;
const DIFFERENCES_FOUND = 1;
const COULD_NOT_CHECK = 2;

/**
 * `npm run verify:consistency`: checks the write model, the read table and the outbox against each
 * other and prints every difference, one per line (check, orderId, externalId, problem). Exits 0
 * when they agree, 1 when they do not, 2 when it could not check. Read-only, safe beside the service.
 */
async function verify(): Promise<number> {
  const environment = loadEnvironment();
  const dataSource = createDataSource({
    url: environment.DATABASE_URL,
    poolSize: 1,
    applicationName: `${environment.SERVICE_NAME} verify-consistency`,
    connectTimeoutMs: environment.DATABASE_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: environment.DATABASE_STATEMENT_TIMEOUT_MS,
  });
  await untilReady('PostgreSQL', () => dataSource.initialize(), isTransientPostgresError);
  try {
    // Read-only, in one snapshot: a check cut short by a failover is simply run again.
    const { ordersChecked, differences } = await untilReady(
      'PostgreSQL',
      () =>
        new PostgresConsistencyChecker(dataSource).check({ outboxRetentionHours: environment.OUTBOX_RETENTION_HOURS }),
      isTransientPostgresError,
    );
    for (const { check, orderId, externalId, problem } of differences) {
      process.stdout.write(`${check}\t${orderId ?? '-'}\t${externalId ?? '-'}\t${problem}\n`);
    }
    process.stdout.write(
      differences.length === 0
        ? `Checked ${ordersChecked} orders: the write model, the read table, its statistics and the outbox agree.\n`
        : `Checked ${ordersChecked} orders: ${differences.length} difference(s).\n`,
    );
    return differences.length === 0 ? CONSISTENT : DIFFERENCES_FOUND;
  } finally {
    await dataSource.destroy();
  }
}

verify().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`Could not check: ${errorMessage(error)}\n`);
    process.exit(COULD_NOT_CHECK);
  },
);
