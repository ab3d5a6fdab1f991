import type { DataSource, EntityManager } from 'typeorm';
import { DAILY_STATISTICS_OF_VIEWS, KEPT_DAILY_STATISTICS } from '../outbound/postgres/order-statistics.sql.js';

/** Which pair of stores disagrees. */
export type ConsistencyCheck = 'order-lines' | 'read-table' | 'statistics' | 'outbox' | 'history';

export interface ConsistencyDifference {
  readonly check: ConsistencyCheck;
  /** Null for a difference in the daily statistics, which belong to no one order. */
  readonly orderId: string | null;
  readonly externalId: string | null;
  readonly problem: string;
}

export interface ConsistencyReport {
  readonly ordersChecked: number;
  readonly differences: readonly ConsistencyDifference[];
}

export interface ConsistencySettings {
  /** Published outbox rows older than this are purged, so an order calculated before it may have none. */
  readonly outboxRetentionHours: number;
}

/**
 * Each query returns one row per order with at least one problem, the problems spelled out by the
 * database (`array_remove(ARRAY[CASE … END, …], NULL)`), and compares money as text: the stores
 * write every amount with the currency's decimal places, so equal amounts are equal strings.
 */
const LINES_AGAINST_ORDERS = `
  SELECT o.id AS order_id, o.external_id, array_remove(ARRAY[
    CASE WHEN count(l.line_no) <> o.item_count
      THEN format('has %s lines in order_lines but item_count %s', count(l.line_no), o.item_count) END,
    CASE WHEN count(l.line_no) > 0 AND (min(l.line_no) <> 1 OR max(l.line_no) <> count(l.line_no))
      THEN format('its lines are numbered %s to %s, not 1 to %s', min(l.line_no), max(l.line_no), count(l.line_no)) END,
    CASE WHEN o.status <> 'RECEIVED' AND o.total IS DISTINCT FROM sum(l.unit_price * l.quantity)
      THEN format('has total %s but its lines add up to %s', o.total, coalesce(sum(l.unit_price * l.quantity)::text, 'nothing')) END
  ], NULL) AS problems
  FROM orders o LEFT JOIN order_lines l ON l.order_id = o.id
  GROUP BY o.id`;

const VIEWS_AGAINST_ORDERS = `
  SELECT coalesce(o.id, v.order_id) AS order_id, coalesce(o.external_id, v.external_id) AS external_id,
  CASE
    WHEN v.order_id IS NULL THEN ARRAY['has no row in order_views']
    WHEN o.id IS NULL THEN ARRAY['has a row in order_views but none in orders']
    ELSE array_remove(ARRAY[
      CASE WHEN v.status <> o.status OR v.document->>'status' IS DISTINCT FROM o.status
        THEN format('status is %s in orders but %s in order_views (%s in its document)', o.status, v.status, coalesce(v.document->>'status', 'none')) END,
      CASE WHEN v.total::text IS DISTINCT FROM o.total::text OR v.document->>'total' IS DISTINCT FROM o.total::text
        THEN format('total is %s in orders but %s in order_views (%s in its document)', coalesce(o.total::text, 'null'), coalesce(v.total::text, 'null'), coalesce(v.document->>'total', 'null')) END,
      CASE WHEN v.external_id <> o.external_id OR v.document->>'externalId' IS DISTINCT FROM o.external_id
        THEN format('externalId is %s in orders but %s in order_views', o.external_id, v.external_id) END,
      CASE WHEN v.customer_id IS DISTINCT FROM o.customer_id OR v.document->>'customerId' IS DISTINCT FROM o.customer_id
        THEN format('customerId is %s in orders but %s in order_views', coalesce(o.customer_id, 'null'), coalesce(v.customer_id, 'null')) END,
      CASE WHEN v.currency <> o.currency OR v.document->>'currency' IS DISTINCT FROM o.currency
        THEN format('currency is %s in orders but %s in order_views', o.currency, v.currency) END,
      CASE WHEN v.received_at <> o.received_at
        THEN format('receivedAt is %s in orders but %s in order_views', o.received_at, v.received_at) END,
      CASE WHEN v.version <> o.version OR v.document->>'version' IS DISTINCT FROM o.version::text
        THEN format('version is %s in orders but %s in order_views (%s in its document)', o.version, v.version, coalesce(v.document->>'version', 'none')) END,
      CASE WHEN (v.document->>'paidAt')::timestamptz IS DISTINCT FROM o.paid_at
          OR (v.document->>'shippedAt')::timestamptz IS DISTINCT FROM o.shipped_at
          OR (v.document->>'deliveredAt')::timestamptz IS DISTINCT FROM o.delivered_at
          OR (v.document->>'cancelledAt')::timestamptz IS DISTINCT FROM o.cancelled_at
        THEN format('the status times (paid, shipped, delivered, cancelled) are %s in orders but %s in order_views',
          concat_ws(', ', coalesce(o.paid_at::text, 'null'), coalesce(o.shipped_at::text, 'null'), coalesce(o.delivered_at::text, 'null'), coalesce(o.cancelled_at::text, 'null')),
          concat_ws(', ', coalesce(v.document->>'paidAt', 'null'), coalesce(v.document->>'shippedAt', 'null'), coalesce(v.document->>'deliveredAt', 'null'), coalesce(v.document->>'cancelledAt', 'null'))) END,
      CASE WHEN v.document->>'itemCount' IS DISTINCT FROM o.item_count::text
          OR CASE WHEN json_typeof(v.document->'items') = 'array' THEN json_array_length(v.document->'items') END
             IS DISTINCT FROM o.item_count
        THEN format('item_count is %s in orders but the order_views document has itemCount %s and %s items',
          o.item_count, coalesce(v.document->>'itemCount', 'none'),
          CASE WHEN json_typeof(v.document->'items') = 'array' THEN json_array_length(v.document->'items')::text ELSE 'no' END) END
    ], NULL)
  END AS problems
  FROM orders o FULL JOIN order_views v ON v.order_id = o.id`;

const VIEW_ITEMS_AGAINST_LINES = `
  SELECT v.order_id, v.external_id, array_agg(format(
    'line %s is %s × %s at %s (%s) in order_lines but %s × %s at %s (%s) in the order_views document',
    i.line_no, l.quantity, l.product_id, l.unit_price, l.unit_price * l.quantity,
    i.item->>'quantity', i.item->>'productId', i.item->>'unitPrice', i.item->>'lineTotal') ORDER BY i.line_no) AS problems
  FROM order_views v
  CROSS JOIN LATERAL json_array_elements(
    CASE WHEN json_typeof(v.document->'items') = 'array' THEN v.document->'items' ELSE '[]' END
  ) WITH ORDINALITY AS i(item, line_no)
  JOIN order_lines l ON l.order_id = v.order_id AND l.line_no = i.line_no
  WHERE l.product_id IS DISTINCT FROM i.item->>'productId'
     OR l.name IS DISTINCT FROM i.item->>'name'
     OR l.unit_price::text IS DISTINCT FROM i.item->>'unitPrice'
     OR l.quantity::text IS DISTINCT FROM i.item->>'quantity'
     OR (l.unit_price * l.quantity)::text IS DISTINCT FROM i.item->>'lineTotal'
  GROUP BY v.order_id, v.external_id`;

/** Every day, status and currency whose kept figures differ from the read table's rows. */
const STATISTICS_AGAINST_VIEWS = `
  SELECT NULL::uuid AS order_id, NULL::text AS external_id, ARRAY[format(
    'the statistics of %s %s %s say %s orders totalling %s but order_views has %s totalling %s',
    coalesce(v.day, k.day), coalesce(v.status, k.status), coalesce(v.currency, k.currency),
    coalesce(k.orders, 0), coalesce(k.total, 0), coalesce(v.orders, 0), coalesce(v.total, 0))] AS problems
  FROM (${DAILY_STATISTICS_OF_VIEWS}) AS v
  FULL JOIN (${KEPT_DAILY_STATISTICS}) AS k ON (k.day, k.status, k.currency) = (v.day, v.status, v.currency)
  WHERE k.orders IS DISTINCT FROM v.orders OR k.total IS DISTINCT FROM v.total`;

/** $1: the outbox retention in hours. Five minutes of slack absorb a clock difference between replicas and the database. */
const OUTBOX_AGAINST_ORDERS = `
  WITH events AS (
    SELECT aggregate_id, count(*) AS messages,
           array_agg(DISTINCT payload->>'total') AS totals,
           array_agg(DISTINCT payload->>'externalId') AS external_ids,
           array_agg(DISTINCT payload->>'itemCount') AS item_counts
    FROM outbox WHERE event_type = 'OrderCalculated' GROUP BY aggregate_id)
  SELECT coalesce(o.id, e.aggregate_id) AS order_id, o.external_id, CASE
    WHEN o.id IS NULL THEN ARRAY[format('has %s OrderCalculated message(s) in the outbox but no row in orders', e.messages)]
    WHEN o.status = 'RECEIVED' THEN
      CASE WHEN e.messages IS NOT NULL
        THEN ARRAY[format('is RECEIVED but has %s OrderCalculated message(s) in the outbox', e.messages)]
        ELSE ARRAY[]::text[] END
    WHEN e.messages IS NULL THEN
      CASE WHEN o.calculated_at > now() - make_interval(hours => $1) + interval '5 minutes'
        THEN ARRAY[format('is %s but has no OrderCalculated message in the outbox', o.status)]
        ELSE ARRAY[]::text[] END
    ELSE array_remove(ARRAY[
      CASE WHEN e.messages <> 1
        THEN format('has %s OrderCalculated messages in the outbox, not 1', e.messages) END,
      CASE WHEN e.totals IS DISTINCT FROM ARRAY[o.total::text]
        THEN format('has total %s but its OrderCalculated message says %s', o.total, array_to_string(e.totals, ', ', 'null')) END,
      CASE WHEN e.external_ids IS DISTINCT FROM ARRAY[o.external_id::text]
        THEN format('has externalId %s but its OrderCalculated message says %s', o.external_id, array_to_string(e.external_ids, ', ', 'null')) END,
      CASE WHEN e.item_counts IS DISTINCT FROM ARRAY[o.item_count::text]
        THEN format('has %s items but its OrderCalculated message says %s', o.item_count, array_to_string(e.item_counts, ', ', 'null')) END
    ], NULL)
  END AS problems
  FROM orders o FULL JOIN events e ON e.aggregate_id = o.id`;

/**
 * The history holds one entry per version of every calculated order, 1 to its version, the last in
 * its status; and every status change still within the outbox retention has its message there.
 */
const HISTORY_AGAINST_ORDERS = `
  WITH entries AS (
    SELECT order_id, count(*) AS entries, min(version) AS first, max(version) AS last,
           (array_agg(status ORDER BY version DESC))[1] AS last_status
    FROM order_history GROUP BY order_id)
  SELECT coalesce(o.id, h.order_id) AS order_id, o.external_id, CASE
    WHEN o.id IS NULL THEN ARRAY[format('has %s history entries but no row in orders', h.entries)]
    WHEN o.status = 'RECEIVED' THEN
      CASE WHEN h.entries IS NOT NULL THEN ARRAY['is RECEIVED but has history entries'] ELSE ARRAY[]::text[] END
    WHEN h.entries IS NULL THEN ARRAY[format('is %s at version %s but has no history', o.status, o.version)]
    ELSE array_remove(ARRAY[
      CASE WHEN h.entries <> o.version OR h.first <> 1 OR h.last <> o.version
        THEN format('is at version %s but its history holds %s entries, versions %s to %s', o.version, h.entries, h.first, h.last) END,
      CASE WHEN h.last_status <> o.status
        THEN format('is %s but its latest history entry says %s', o.status, h.last_status) END
    ], NULL)
  END AS problems
  FROM orders o FULL JOIN entries h ON h.order_id = o.id`;

/**
 * $1: the outbox retention in hours: a status change recent enough must still have its message
 * (OrderCalculated messages are OUTBOX_AGAINST_ORDERS's to check).
 */
const HISTORY_AGAINST_OUTBOX = `
  SELECT h.order_id, o.external_id,
         ARRAY[format('has history entry %s (%s, version %s) but no message with its eventId in the outbox', h.event_id, h.event_type, h.version)] AS problems
  FROM order_history h JOIN orders o ON o.id = h.order_id
  WHERE h.event_type <> 'OrderCalculated' AND h.occurred_at > now() - make_interval(hours => $1) + interval '5 minutes'
    AND NOT EXISTS (SELECT 1 FROM outbox x WHERE x.event_id = h.event_id)`;

interface ProblemRow {
  order_id: string;
  external_id: string | null;
  problems: string[];
}

/**
 * Checks the write model (orders, order_lines), the read table (order_views), the history and the
 * outbox against each other, in one read-only snapshot, so a transaction committing meanwhile is seen whole or not
 * at all. Read-only and safe beside a running service; each query scans its tables once.
 */
export class PostgresConsistencyChecker {
  constructor(private readonly dataSource: DataSource) {}

  check({ outboxRetentionHours }: ConsistencySettings): Promise<ConsistencyReport> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      await manager.query('SET TRANSACTION READ ONLY');
      const [{ orders }] = await manager.query<{ orders: number }[]>('SELECT count(*)::int AS orders FROM orders');
      const differences = [
        ...(await problems(manager, 'order-lines', LINES_AGAINST_ORDERS)),
        ...(await problems(manager, 'read-table', VIEWS_AGAINST_ORDERS)),
        ...(await problems(manager, 'read-table', VIEW_ITEMS_AGAINST_LINES)),
        ...(await problems(manager, 'statistics', STATISTICS_AGAINST_VIEWS)),
        ...(await problems(manager, 'outbox', OUTBOX_AGAINST_ORDERS, [outboxRetentionHours])),
        ...(await problems(manager, 'history', HISTORY_AGAINST_ORDERS)),
        ...(await problems(manager, 'history', HISTORY_AGAINST_OUTBOX, [outboxRetentionHours])),
      ];
      return { ordersChecked: orders, differences };
    });
  }
}

async function problems(
  manager: EntityManager,
  check: ConsistencyCheck,
  sql: string,
  parameters: unknown[] = [],
): Promise<ConsistencyDifference[]> {
  const rows = await manager.query<ProblemRow[]>(
    `SELECT order_id, external_id, problems FROM (${sql}) AS checked
     WHERE cardinality(problems) > 0 ORDER BY external_id, order_id`,
    parameters,
  );
  return rows.flatMap((row) =>
    row.problems.map((problem) => ({ check, orderId: row.order_id, externalId: row.external_id, problem })),
  );
}
