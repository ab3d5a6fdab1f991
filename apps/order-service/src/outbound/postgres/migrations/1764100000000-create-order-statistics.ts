import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The delta of a set of rows to the daily statistics: `sign` 1 for rows that arrived, -1 for rows that left. */
const deltaOf = (rows: string, sign: 1 | -1) => `
  SELECT (received_at AT TIME ZONE 'UTC')::date AS day, status, currency,
         ${sign} * count(*) AS orders, ${sign} * coalesce(sum(total), 0) AS total
  FROM ${rows} GROUP BY 1, 2, 3`;

/** Adds deltas into the backend's own shard, so that concurrent transactions rarely wait on one row. */
const applyDeltas = (deltas: string) => `
  INSERT INTO order_statistics_daily AS s (day, status, currency, shard, orders, total)
  SELECT day, status, currency, pg_backend_pid() % 16, sum(orders), sum(total)
  FROM (${deltas}) AS deltas GROUP BY day, status, currency
  HAVING sum(orders) <> 0 OR sum(total) <> 0
  ON CONFLICT (day, status, currency, shard)
  DO UPDATE SET orders = s.orders + EXCLUDED.orders, total = s.total + EXCLUDED.total`;

export class CreateOrderStatistics1764100000000 implements MigrationInterface {
  name = 'CreateOrderStatistics1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Order counts and sums of totals per UTC day of received_at, status and currency, kept by
    // triggers on order_views in the transaction that writes the read row; GET /orders/stats adds
    // up whole days from here and scans order_views only for partial edge days.
    await queryRunner.query(`
      CREATE TABLE order_statistics_daily (
        day      date NOT NULL,
        status   varchar(16) NOT NULL,
        currency char(3) NOT NULL,
        shard    smallint NOT NULL,
        orders   bigint NOT NULL,
        total    numeric NOT NULL,
        PRIMARY KEY (day, status, currency, shard)
      )`);
    await queryRunner.query(`
      CREATE FUNCTION order_statistics_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN ${applyDeltas(deltaOf('arrived', 1))}; RETURN NULL; END $$`);
    await queryRunner.query(`
      CREATE FUNCTION order_statistics_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN ${applyDeltas(`${deltaOf('arrived', 1)} UNION ALL ${deltaOf('departed', -1)}`)}; RETURN NULL; END $$`);
    await queryRunner.query(`
      CREATE FUNCTION order_statistics_after_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN ${applyDeltas(deltaOf('departed', -1))}; RETURN NULL; END $$`);
    await queryRunner.query(`
      CREATE FUNCTION order_statistics_after_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN TRUNCATE order_statistics_daily; RETURN NULL; END $$`);
    await queryRunner.query(`
      CREATE TRIGGER order_statistics_insert AFTER INSERT ON order_views
      REFERENCING NEW TABLE AS arrived FOR EACH STATEMENT EXECUTE FUNCTION order_statistics_after_insert()`);
    await queryRunner.query(`
      CREATE TRIGGER order_statistics_update AFTER UPDATE ON order_views
      REFERENCING OLD TABLE AS departed NEW TABLE AS arrived
      FOR EACH STATEMENT EXECUTE FUNCTION order_statistics_after_update()`);
    await queryRunner.query(`
      CREATE TRIGGER order_statistics_delete AFTER DELETE ON order_views
      REFERENCING OLD TABLE AS departed FOR EACH STATEMENT EXECUTE FUNCTION order_statistics_after_delete()`);
    await queryRunner.query(`
      CREATE TRIGGER order_statistics_truncate AFTER TRUNCATE ON order_views
      FOR EACH STATEMENT EXECUTE FUNCTION order_statistics_after_truncate()`);
    await queryRunner.query(`LOCK TABLE order_views IN SHARE MODE`);
    await queryRunner.query(`
      INSERT INTO order_statistics_daily (day, status, currency, shard, orders, total)
      SELECT day, status, currency, 0, orders, total FROM (${deltaOf('order_views', 1)}) AS existing`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const event of ['insert', 'update', 'delete', 'truncate']) {
      await queryRunner.query(`DROP TRIGGER order_statistics_${event} ON order_views`);
      await queryRunner.query(`DROP FUNCTION order_statistics_after_${event}()`);
    }
    await queryRunner.query(`DROP TABLE order_statistics_daily`);
  }
}
