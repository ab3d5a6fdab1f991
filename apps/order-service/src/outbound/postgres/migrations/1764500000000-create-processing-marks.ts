import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateProcessingMarks1764500000000 implements MigrationInterface {
  name = 'CreateProcessingMarks1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // A row per redelivered message being handled alone now; one left behind counts a process that died.
    await queryRunner.query(`
      CREATE TABLE processing_marks (
        body_sha256     bytea PRIMARY KEY,
        starts          integer NOT NULL,
        last_started_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE processing_marks`);
  }
}
