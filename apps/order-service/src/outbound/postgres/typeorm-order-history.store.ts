import { Injectable } from '@nestjs/common';
import { type OrderHistoryEntry, OrderHistoryStore, type StoredHistoryEntry } from '@app/ordering';
import { PendingHistory } from './batch/pending-history.js';
import { TypeOrmUnitOfWork } from './typeorm-unit-of-work.js';

/* The entry as the API answers it, built by Postgres: `details` keeps the text it was stored with. */
const BY_ORDER = `
  SELECT json_build_object(
    'eventId', event_id, 'eventType', event_type, 'status', status, 'version', version,
    'occurredAt', to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'source', source, 'actor', actor, 'details', details) AS entry
  FROM order_history WHERE order_id = $1 ORDER BY version`;

@Injectable()
export class TypeOrmOrderHistoryStore extends OrderHistoryStore {
  private readonly pendingKey = {};

  constructor(private readonly unitOfWork: TypeOrmUnitOfWork) {
    super();
  }

  /** Deferred to the commit, one insert for every entry of the transaction (see PendingHistory). */
  append(entry: StoredHistoryEntry): Promise<void> {
    return this.unitOfWork.inScope((scope) => {
      scope.defer(this.pendingKey, () => new PendingHistory()).add(entry);
      return Promise.resolve();
    });
  }

  async findByOrder(orderId: string): Promise<OrderHistoryEntry[]> {
    const rows = await this.unitOfWork.query<{ entry: OrderHistoryEntry }>(BY_ORDER, [orderId]);
    return rows.map(({ entry }) => entry);
  }
}
