import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** An integration event committed with the order it describes, waiting for the relay to publish it. */
@Entity({ name: 'outbox' })
export class OutboxMessageOrmEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'event_id', type: 'uuid', unique: true })
  eventId: string;

  @Column({ name: 'event_type', type: 'varchar', length: 64 })
  eventType: string;

  @Column({ name: 'aggregate_id', type: 'uuid' })
  aggregateId: string;

  @Column({ name: 'correlation_id', type: 'varchar', length: 255, nullable: true })
  correlationId: string | null;

  /** `json`, not `jsonb`: the message goes out byte for byte as it was written, keys in order. */
  @Column({ type: 'json' })
  payload: unknown;

  /** `traceparent` and `tracestate` of the work that wrote the row; null when it was not traced. */
  @Column({ name: 'trace_context', type: 'json', nullable: true })
  traceContext: { traceparent: string; tracestate?: string } | null;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;
}
