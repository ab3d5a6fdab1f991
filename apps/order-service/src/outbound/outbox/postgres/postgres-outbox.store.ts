import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { OutboxBacklog } from '../../../observability/order-service.metrics.js';
import { driverPool } from '../../postgres/data-source.js';
import type { CommittedOutboxMessage } from '../outbox.signal.js';
import type { TraceCarrier } from '../../../observability/tracing/spans.js';

/** What became of a set of outbox rows: published ones are marked so, failed ones keep the error. */
export interface OutboxSettlement {
  readonly published: readonly CommittedOutboxMessage[];
  readonly failed: readonly CommittedOutboxMessage[];
  readonly failure?: { readonly error: string };
}

interface ClaimedRow {
  id: string;
  event_id: string;
  event_type: string;
  correlation_id: string | null;
  payload: string;
  occurred_at: Date;
  trace_context: TraceCarrier | null;
}

/*
 * SKIP LOCKED lets every replica's sweep claim a different slice of what is left; the lock holds
 * until the rows are marked, so no two sweeps publish a row at once. Young rows are left to the
 * process that committed them, which is publishing them right now.
 */
const CLAIM = `
  SELECT id, event_id, event_type, correlation_id, payload::text AS payload, occurred_at, trace_context
  FROM outbox
  WHERE published_at IS NULL AND occurred_at < clock_timestamp() - make_interval(secs => $2::float8 / 1000)
  ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`;
const MARK_PUBLISHED = `UPDATE outbox SET published_at = clock_timestamp() WHERE id = ANY($1::bigint[])`;
const MARK_FAILED = `UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1::bigint[])`;
const PURGE_PUBLISHED = `
  DELETE FROM outbox WHERE id IN (
    SELECT id FROM outbox WHERE published_at < now() - make_interval(hours => $1) LIMIT 10000)`;
/** Served by the partial index of pending rows, so a scrape stays cheap while published rows pile up. */
const BACKLOG = `
  SELECT count(*)::int AS pending,
         coalesce(extract(epoch FROM clock_timestamp() - min(occurred_at)), 0)::float8 AS oldest_age_seconds
  FROM outbox WHERE published_at IS NULL`;

/*
 * A lost mark only republishes a confirmed message under the same message_id, which the contract
 * allows; so a mark need not wait for the WAL flush (the intake's commits do). SET LOCAL and the
 * UPDATE in one simple query run as one implicit transaction: one round trip, no parameters, hence
 * the ids inlined (they are the table's own bigints, checked to be digits).
 */
function markPublishedWithoutFlush(ids: readonly string[]): string {
  if (!ids.every((id) => /^\d+$/.test(id))) throw new Error(`Outbox ids must be integers: ${ids.join(',')}`);
  return `SET LOCAL synchronous_commit = off;
    UPDATE outbox SET published_at = clock_timestamp() WHERE id = ANY('{${ids.join(',')}}'::bigint[])`;
}

/** The outbox table as the relay and the metrics see it: every statement they run on it. */
@Injectable()
export class PostgresOutboxStore {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Claims up to `limit` pending rows older than `olderThanMs`, lets `publish` send them and records
   * what it came to, in one transaction: the rows stay locked until they are marked.
   */
  claimAndSettle<T extends OutboxSettlement>(
    limit: number,
    olderThanMs: number,
    publish: (messages: readonly CommittedOutboxMessage[]) => Promise<T>,
  ): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SET LOCAL synchronous_commit = off');
      const rows: ClaimedRow[] = await manager.query(CLAIM, [limit, olderThanMs]);
      const settlement = await publish(rows.map(messageOf));
      if (settlement.published.length > 0) await manager.query(MARK_PUBLISHED, [idsOf(settlement.published)]);
      if (settlement.failure) await manager.query(MARK_FAILED, [idsOf(settlement.failed), settlement.failure.error]);
      return settlement;
    });
  }

  async markPublished(ids: readonly string[]): Promise<void> {
    await driverPool(this.dataSource).query(markPublishedWithoutFlush(ids));
  }

  async markFailed(messages: readonly CommittedOutboxMessage[], error: string): Promise<void> {
    await driverPool(this.dataSource).query(MARK_FAILED, [idsOf(messages), error]);
  }

  /** Deletes up to 10,000 rows published more than `retentionHours` ago; returns how many it deleted. */
  async purgePublished(retentionHours: number): Promise<number> {
    const [, deleted] = await this.dataSource.query<[unknown[], number]>(PURGE_PUBLISHED, [retentionHours]);
    return deleted;
  }

  async backlog(): Promise<OutboxBacklog> {
    const [row]: { pending: number; oldest_age_seconds: number }[] = await this.dataSource.query(BACKLOG);
    return { pending: row.pending, oldestAgeSeconds: row.oldest_age_seconds };
  }
}

function messageOf(row: ClaimedRow): CommittedOutboxMessage {
  return {
    id: row.id,
    eventId: row.event_id,
    eventType: row.event_type,
    correlationId: row.correlation_id,
    payload: row.payload,
    occurredAt: row.occurred_at,
    traceContext: row.trace_context,
  };
}

function idsOf(messages: readonly CommittedOutboxMessage[]): string[] {
  return messages.map(({ id }) => id);
}
