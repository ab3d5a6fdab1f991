import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateWriteModel1763900000000 implements MigrationInterface {
  name = 'CreateWriteModel1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE orders (
        id             uuid PRIMARY KEY,
        external_id    varchar(64) NOT NULL,
        customer_id    varchar(64),
        currency       char(3) NOT NULL,
        placed_at      timestamptz,
        status         varchar(16) NOT NULL CHECK (status IN ('RECEIVED', 'CALCULATED')),
        total          numeric CHECK (total >= 0),
        item_count     integer NOT NULL CHECK (item_count BETWEEN 1 AND 1000),
        fingerprint    char(64) NOT NULL,
        correlation_id varchar(255),
        received_at    timestamptz NOT NULL,
        calculated_at  timestamptz,
        updated_at     timestamptz NOT NULL,
        version        integer NOT NULL,
        CONSTRAINT orders_external_id_key UNIQUE (external_id),
        CONSTRAINT orders_calculated_has_total CHECK (status <> 'CALCULATED' OR (total IS NOT NULL AND calculated_at IS NOT NULL))
      )`);
    await queryRunner.query(`
      CREATE TABLE order_lines (
        order_id   uuid NOT NULL REFERENCES orders (id),
        line_no    integer NOT NULL,
        product_id varchar(64) NOT NULL,
        name       varchar(200),
        unit_price numeric NOT NULL CHECK (unit_price >= 0),
        quantity   integer NOT NULL CHECK (quantity BETWEEN 1 AND 1000000),
        PRIMARY KEY (order_id, line_no)
      )`);
    await queryRunner.query(`
      CREATE TABLE outbox (
        id             bigserial PRIMARY KEY,
        event_id       uuid NOT NULL UNIQUE,
        event_type     varchar(64) NOT NULL,
        aggregate_id   uuid NOT NULL,
        correlation_id varchar(255),
        payload        json NOT NULL,
        occurred_at    timestamptz NOT NULL,
        published_at   timestamptz
      )`);
    // The relay only ever scans what is still pending; published rows stay out of this index.
    await queryRunner.query(`CREATE INDEX outbox_pending_idx ON outbox (id) WHERE published_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE outbox`);
    await queryRunner.query(`DROP TABLE order_lines`);
    await queryRunner.query(`DROP TABLE orders`);
  }
}
