import type { MigrationInterface, QueryRunner } from 'typeorm';

const STATUSES = `'RECEIVED', 'CALCULATED', 'PAID', 'PAYMENT_FAILED', 'SHIPPED', 'DELIVERED', 'CANCELLED'`;

export class AddOrderLifecycle1764300000000 implements MigrationInterface {
  name = 'AddOrderLifecycle1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE orders DROP CONSTRAINT orders_status_check`);
    await queryRunner.query(`ALTER TABLE orders ADD CONSTRAINT orders_status_check CHECK (status IN (${STATUSES}))`);
    await queryRunner.query(`
      ALTER TABLE orders
        ADD COLUMN paid_at      timestamptz,
        ADD COLUMN shipped_at   timestamptz,
        ADD COLUMN delivered_at timestamptz,
        ADD COLUMN cancelled_at timestamptz,
        ADD COLUMN payment_id   varchar(64)`);
    // The payment system's idempotency: one row per payment the service acted on.
    await queryRunner.query(`
      CREATE TABLE payments (
        payment_id  varchar(64) PRIMARY KEY,
        order_id    uuid NOT NULL,
        outcome     varchar(16) NOT NULL CHECK (outcome IN ('confirmed', 'rejected')),
        fingerprint char(64) NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Append-only; one entry per version of an order, which is also how the history is read.
    await queryRunner.query(`
      CREATE TABLE order_history (
        order_id    uuid NOT NULL,
        version     integer NOT NULL,
        event_id    uuid NOT NULL,
        event_type  varchar(64) NOT NULL,
        status      varchar(16) NOT NULL,
        occurred_at timestamptz NOT NULL,
        source      varchar(8) NOT NULL CHECK (source IN ('amqp', 'http')),
        actor       varchar(255) NOT NULL,
        details     json NOT NULL,
        PRIMARY KEY (order_id, version)
      )`);
    // Orders calculated before the history existed get their first entry, under the event id their
    // OrderCalculated message carried while the outbox still holds it.
    await queryRunner.query(`
      INSERT INTO order_history (order_id, version, event_id, event_type, status, occurred_at, source, actor, details)
      SELECT o.id, 1, coalesce(x.event_id, gen_random_uuid()), 'OrderCalculated', 'CALCULATED', o.calculated_at,
             'amqp', 'order.placed', json_build_object('total', o.total::text, 'currency', o.currency)
      FROM orders o
      LEFT JOIN outbox x ON x.aggregate_id = o.id AND x.event_type = 'OrderCalculated'
      WHERE o.status = 'CALCULATED'`);
    // The read rows gain the version (their guard against older states) and the new timestamps.
    await queryRunner.query(`ALTER TABLE order_views ADD COLUMN version integer NOT NULL DEFAULT 1`);
    await queryRunner.query(`
      UPDATE order_views SET document = (document::jsonb || jsonb_build_object(
        'paidAt', null, 'shippedAt', null, 'deliveredAt', null, 'cancelledAt', null, 'version', version))::json`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      UPDATE order_views SET document = (document::jsonb
        - 'paidAt' - 'shippedAt' - 'deliveredAt' - 'cancelledAt' - 'version')::json`);
    await queryRunner.query(`ALTER TABLE order_views DROP COLUMN version`);
    await queryRunner.query(`DROP TABLE order_history`);
    await queryRunner.query(`DROP TABLE payments`);
    await queryRunner.query(`
      ALTER TABLE orders DROP COLUMN paid_at, DROP COLUMN shipped_at, DROP COLUMN delivered_at,
        DROP COLUMN cancelled_at, DROP COLUMN payment_id`);
    await queryRunner.query(`ALTER TABLE orders DROP CONSTRAINT orders_status_check`);
    await queryRunner.query(
      `ALTER TABLE orders ADD CONSTRAINT orders_status_check CHECK (status IN ('RECEIVED', 'CALCULATED'))`,
    );
  }
}
