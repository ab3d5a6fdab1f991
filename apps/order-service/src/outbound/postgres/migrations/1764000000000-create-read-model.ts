import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateReadModel1764000000000 implements MigrationInterface {
  name = 'CreateReadModel1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Filter and sort columns beside the document that the REST API answers as is (`json` keeps its
    // text, so money strings and key order come back exactly as projected).
    await queryRunner.query(`
      CREATE TABLE order_views (
        order_id     uuid PRIMARY KEY,
        external_id  varchar(64) NOT NULL,
        customer_id  varchar(64),
        status       varchar(16) NOT NULL,
        currency     char(3) NOT NULL,
        total        numeric,
        received_at  timestamptz NOT NULL,
        updated_at   timestamptz NOT NULL,
        document     json NOT NULL
      )`);
    // One index per filter of GET /orders, each ending in the keyset (received_at, order_id), so
    // every page is an index range scan whatever the table's size.
    await queryRunner.query(`CREATE UNIQUE INDEX order_views_external_id_key ON order_views (external_id)`);
    await queryRunner.query(`CREATE INDEX order_views_received_idx ON order_views (received_at DESC, order_id DESC)`);
    await queryRunner.query(
      `CREATE INDEX order_views_status_received_idx ON order_views (status, received_at DESC, order_id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX order_views_customer_received_idx ON order_views (customer_id, received_at DESC, order_id DESC)`,
    );
    // What an operator needs to see why a message is stuck: the relay counts failed attempts.
    await queryRunner.query(`ALTER TABLE outbox ADD COLUMN attempts integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE outbox ADD COLUMN last_error text`);
    // Published rows are purged by age; this index finds them without scanning the pending ones.
    await queryRunner.query(
      `CREATE INDEX outbox_published_idx ON outbox (published_at) WHERE published_at IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX outbox_published_idx`);
    await queryRunner.query(`ALTER TABLE outbox DROP COLUMN last_error`);
    await queryRunner.query(`ALTER TABLE outbox DROP COLUMN attempts`);
    await queryRunner.query(`DROP TABLE order_views`);
  }
}
