import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driverPool } from '../../apps/order-service/src/outbound/postgres/data-source.js';
import { TestDatabase } from '../support/test-database.js';

// driverPool reads TypeORM's internals (driver.master): these fail the day TypeORM moves its pool.
describe('driverPool, the pg pool under TypeORM', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await TestDatabase.create();
  });

  afterAll(() => database?.drop());

  it('is the pool TypeORM itself queries through, with the data source settings', async () => {
    const pool = driverPool(database.dataSource);
    expect(pool).toBeInstanceOf(pg.Pool);
    expect(pool.options.max).toBe(10);

    const [{ name }] = await database.dataSource.query<{ name: string }[]>('SELECT current_setting($1) AS name', [
      'application_name',
    ]);
    expect(name).toBe('order-service-test');
    expect(pool.totalCount).toBeGreaterThan(0);
  });

  it('runs a statement on the data source database, outside any transaction', async () => {
    const { rows } = await driverPool(database.dataSource).query<{ database: string }>(
      'SELECT current_database() AS database',
    );
    expect(rows).toEqual([{ database: database.name }]);
  });
});
