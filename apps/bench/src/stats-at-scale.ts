import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createDataSource } from '../../order-service/src/outbound/postgres/data-source.js';
import { ensureDatabaseExists, runMigrations } from '../../order-service/src/outbound/postgres/database-bootstrap.js';
import { TypeOrmOrderViewStore } from '../../order-service/src/outbound/postgres/typeorm-order-view.store.js';
import { TypeOrmUnitOfWork } from '../../order-service/src/outbound/postgres/typeorm-unit-of-work.js';
import { latencySummary } from './statistics.js';

/*
 * `npm run bench:stats`: GET /orders/stats's query over a read table of BENCH_STATS_ORDERS orders
 * (1,000,000 by default) spread over 90 days, on a database of its own that it drops at the end.
 * Not a test: it measures and prints, beside the full scan the daily figures replace.
 */

const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
const ORDERS = Number(process.env.BENCH_STATS_ORDERS ?? 1_000_000);
const CHUNK = 100_000;
const RUNS = 30;
const DAYS = 90;
const START = Date.parse('2026-09-01T00:00:00.000Z');

const FILL = `
  INSERT INTO order_views (order_id, external_id, customer_id, status, currency, total, received_at, updated_at, document)
  SELECT gen_random_uuid(), 'B-' || n, 'C-' || (n % 1000),
         CASE WHEN n % 50 = 0 THEN 'RECEIVED' ELSE 'CALCULATED' END,
         (ARRAY['BRL', 'USD', 'JPY'])[1 + n % 3],
         CASE WHEN n % 50 = 0 THEN NULL WHEN n % 3 = 2 THEN (n % 100000)::numeric ELSE (n % 100000) / 100.0 END,
         $1::timestamptz + (n * $2::float8) * interval '1 millisecond',
         $1::timestamptz + (n * $2::float8) * interval '1 millisecond', '{}'::json
  FROM generate_series($3::int, $4::int) AS n`;

const FULL_SCAN = `SELECT status, currency, count(*), sum(total)::text FROM order_views GROUP BY status, currency`;

async function main(): Promise<void> {
  const url = `${POSTGRES_URL}/order_service_bench_stats_${randomBytes(4).toString('hex')}`;
  await ensureDatabaseExists(url);
  const dataSource = createDataSource({ url, poolSize: 2, applicationName: 'bench-stats' });
  await dataSource.initialize();
  try {
    await runMigrations(dataSource);
    const spacingMs = (DAYS * 86_400_000) / ORDERS;
    const filling = performance.now();
    for (let first = 1; first <= ORDERS; first += CHUNK) {
      await dataSource.query(FILL, [new Date(START), spacingMs, first, Math.min(first + CHUNK - 1, ORDERS)]);
    }
    await dataSource.query('ANALYZE order_views');
    await dataSource.query('ANALYZE order_statistics_daily');
    report(`filled ${ORDERS} orders over ${DAYS} days`, [performance.now() - filling]);

    const store = new TypeOrmOrderViewStore(new TypeOrmUnitOfWork(dataSource));
    const day = (days: number, hours = 0) => new Date(START + days * 86_400_000 + hours * 3_600_000);
    const cases: [string, () => Promise<unknown>][] = [
      ['unbounded (daily figures)', () => store.statistics({})],
      [
        '60 days, partial edge days (figures + edge scans)',
        () => store.statistics({ receivedFrom: day(10, 7.5), receivedTo: day(70, 13.25) }),
      ],
      ['one partial day (row scan)', () => store.statistics({ receivedFrom: day(40, 1), receivedTo: day(40, 23) })],
      ['unbounded as a full scan of order_views (before)', () => dataSource.query(FULL_SCAN)],
    ];
    for (const [name, query] of cases) {
      await query();
      const times: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const started = performance.now();
        await query();
        times.push(performance.now() - started);
      }
      report(name, times);
    }
  } finally {
    await dataSource.destroy();
    const admin = new pg.Client({ connectionString: `${POSTGRES_URL}/postgres` });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${new URL(url).pathname.slice(1)}" WITH (FORCE)`);
    await admin.end();
  }
}

function report(name: string, times: number[]): void {
  const figures = Object.entries(latencySummary(times)).map(([label, ms]) => `${label} ${ms.toFixed(1)} ms`);
  process.stdout.write(`${name.padEnd(52)} ${figures.join('  ')}\n`);
}

await main();
