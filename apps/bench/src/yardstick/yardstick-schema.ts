import type pg from 'pg';

/**
 * The yardstick's tables: what the service keeps per order, with nothing else. An order row with a
 * unique externalId (the duplicate check), its lines, a read row with the indexes the listing's
 * filters need, and an outbox row that stays after it is published.
 */
export async function createYardstickSchema(pool: pg.Pool): Promise<void> {
  await pool.query(`
    DROP TABLE IF EXISTS yardstick_lines, yardstick_views, yardstick_outbox, yardstick_orders;
    CREATE TABLE yardstick_orders (
      order_id uuid PRIMARY KEY,
      external_id varchar(64) NOT NULL UNIQUE,
      customer_id varchar(64),
      currency char(3) NOT NULL,
      total numeric NOT NULL,
      status varchar(16) NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE yardstick_lines (
      order_id uuid NOT NULL REFERENCES yardstick_orders (order_id),
      line_no int NOT NULL,
      product_id varchar(64) NOT NULL,
      name varchar(200),
      unit_price numeric NOT NULL,
      quantity int NOT NULL,
      PRIMARY KEY (order_id, line_no)
    );
    CREATE TABLE yardstick_views (
      order_id uuid PRIMARY KEY,
      external_id varchar(64) NOT NULL UNIQUE,
      customer_id varchar(64),
      status varchar(16) NOT NULL,
      currency char(3) NOT NULL,
      total numeric NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now(),
      document json NOT NULL
    );
    CREATE INDEX ON yardstick_views (received_at DESC, order_id DESC);
    CREATE INDEX ON yardstick_views (status, received_at DESC, order_id DESC);
    CREATE INDEX ON yardstick_views (customer_id, received_at DESC, order_id DESC);
    CREATE TABLE yardstick_outbox (
      id bigserial PRIMARY KEY,
      event_id uuid NOT NULL UNIQUE,
      payload json NOT NULL,
      published_at timestamptz
    );`);
}
