import type { StoredHistoryEntry } from '@app/ordering';
import type { DeferredStatement, DeferredWrites } from './deferred-statement.js';

/*
 * A version already in the history belongs to a change that committed first; this transaction's
 * versioned UPDATE of the order then finds the order moved and rolls everything back, so skipping
 * the row here only spares a unique violation that would hide that conflict.
 */
const INSERT_HISTORY = `
  INSERT INTO order_history (order_id, version, event_id, event_type, status, occurred_at, source, actor, details)
  SELECT order_id, version, event_id, event_type, status, occurred_at, source, actor, details
  FROM json_to_recordset($1::json) AS h(order_id uuid, version int, event_id uuid, event_type text, status text,
                                         occurred_at timestamptz, source text, actor text, details json)
  ON CONFLICT (order_id, version) DO NOTHING`;

/** The history entries of one transaction, appended at commit with its other writes. */
export class PendingHistory implements DeferredWrites {
  private entries: StoredHistoryEntry[] = [];

  add(entry: StoredHistoryEntry): void {
    this.entries.push(entry);
  }

  statement(): DeferredStatement | null {
    if (this.entries.length === 0) return null;
    const rows = this.entries.map((entry) => ({
      order_id: entry.orderId,
      version: entry.version,
      event_id: entry.eventId,
      event_type: entry.eventType,
      status: entry.status,
      occurred_at: entry.occurredAt,
      source: entry.source,
      actor: entry.actor,
      details: entry.details,
    }));
    this.entries = [];
    return { sql: INSERT_HISTORY, parameters: [JSON.stringify(rows)] };
  }
}
