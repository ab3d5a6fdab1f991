import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ProcessingMarks } from '../../messaging/processing-marks.js';

/* One autocommitted statement each: the mark must be durable before the message is handled. */
const START = `
  INSERT INTO processing_marks (body_sha256, starts) VALUES ($1, 1)
  ON CONFLICT (body_sha256) DO UPDATE
    SET starts = processing_marks.starts + 1, last_started_at = clock_timestamp()
  RETURNING starts - 1 AS crashes`;
const FINISH = `DELETE FROM processing_marks WHERE body_sha256 = $1`;

/** The processing marks as rows of `processing_marks`, shared by every replica. */
@Injectable()
export class PostgresProcessingMarks extends ProcessingMarks {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async start(bodyDigest: Buffer): Promise<number> {
    const [{ crashes }] = await this.dataSource.query<{ crashes: number }[]>(START, [bodyDigest]);
    return crashes;
  }

  async finish(bodyDigest: Buffer): Promise<void> {
    await this.dataSource.query(FINISH, [bodyDigest]);
  }
}
