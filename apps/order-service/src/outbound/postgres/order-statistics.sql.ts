/**
 * The read table's figures per UTC day of received_at, status and currency: what the triggers on
 * order_views keep in order_statistics_daily (migration CreateOrderStatistics), recomputed.
 */
export const DAILY_STATISTICS_OF_VIEWS = `
  SELECT (received_at AT TIME ZONE 'UTC')::date AS day, status, currency,
         count(*) AS orders, coalesce(sum(total), 0) AS total
  FROM order_views GROUP BY 1, 2, 3`;

/** The kept figures, their shards added up, with the days, statuses and currencies left empty dropped. */
export const KEPT_DAILY_STATISTICS = `
  SELECT day, status, currency, sum(orders) AS orders, sum(total) AS total
  FROM order_statistics_daily GROUP BY 1, 2, 3 HAVING sum(orders) <> 0 OR sum(total) <> 0`;

/**
 * $1: whether whole days count; $2/$3: the first whole day and the day after the last (null: no
 * bound); $4-$7: up to two [from, to) instants scanned row by row (null: none). Days come from the
 * kept figures, the partial days at the edges from the rows themselves, so any bounds are exact.
 */
export const STATISTICS_OF_RANGE = `
  SELECT status, currency, sum(orders)::text AS count, sum(total)::text AS total FROM (
    SELECT status, currency, orders, total FROM order_statistics_daily
    WHERE $1::boolean AND ($2::date IS NULL OR day >= $2::date) AND ($3::date IS NULL OR day < $3::date)
    UNION ALL
    SELECT status, currency, 1, coalesce(total, 0) FROM order_views
    WHERE (received_at >= $4 AND received_at < $5) OR (received_at >= $6 AND received_at < $7)
  ) AS parts
  GROUP BY status, currency HAVING sum(orders) > 0`;
