import type { DataSource } from 'typeorm';
import type { OutboxBacklog } from '../../../observability/order-service.metrics.js';

/** Served by the partial index of pending rows, so a scrape stays cheap while published rows pile up. */
const BACKLOG = `
  SELECT count(*)::int AS pending,
         coalesce(extract(epoch FROM clock_timestamp() - min(occurred_at)), 0)::float8 AS oldest_age_seconds
  FROM outbox WHERE published_at IS NULL`;

export async function readOutboxBacklog(dataSource: DataSource): Promise<OutboxBacklog> {
  const [row]: { pending: number; oldest_age_seconds: number }[] = await dataSource.query(BACKLOG);
  return { pending: row.pending, oldestAgeSeconds: row.oldest_age_seconds };
}
