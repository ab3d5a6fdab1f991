import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The trace context (`traceparent`, `tracestate`) of the work that wrote each outbox row, so its
 * message continues that trace whenever and wherever the relay publishes it. Null when untraced;
 * adding a nullable column without a default rewrites nothing.
 */
export class AddOutboxTraceContext1764400000000 implements MigrationInterface {
  name = 'AddOutboxTraceContext1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE outbox ADD COLUMN trace_context json`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE outbox DROP COLUMN trace_context`);
  }
}
