import amqp, { type Channel, type ConfirmChannel, type ConsumeMessage } from 'amqplib';
import pg from 'pg';
import { benchOrder } from '../bench-orders.js';
import { calculate } from './yardstick-order.js';
import { createYardstickSchema } from './yardstick-schema.js';
import { markPublished, storeBatch } from './yardstick-store.js';

/*
 * The bench's yardstick: the service's work with the service's guarantees and nothing else, so the
 * service's figures have something to be compared with on the same machine. Per order: exact total,
 * one transaction for order, lines, read row and outbox row, ack after commit, OrderCalculated out
 * with publisher confirms, the outbox row marked and kept.
 *   run batch N   up to YARDSTICK_BATCH (250) deliveries per transaction
 *   run naive N   one transaction and one confirm per delivery, as a textbook handler does
 * It publishes N orders first ("filled N" on stderr), then times their drain and prints one JSON
 * line with `perSec` on stdout. Env: RABBITMQ_URL, PGURL (an existing database),
 * YARDSTICK_QUEUE_PREFIX (its queues, deleted at the end).
 */

const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const PGURL = process.env.PGURL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PREFIX = process.env.YARDSTICK_QUEUE_PREFIX ?? 'yardstick';
const BATCH = Number(process.env.YARDSTICK_BATCH ?? 250);
const NAIVE_PREFETCH = 50;
const FLUSH_AFTER_MS = 5;

type Mode = 'batch' | 'naive';

async function fill(channel: ConfirmChannel, queue: string, orders: number): Promise<void> {
  const started = Date.now();
  for (let index = 0; index < orders; index++) {
    const body = Buffer.from(JSON.stringify(benchOrder(PREFIX, index)));
    if (!channel.sendToQueue(queue, body, { persistent: true, contentType: 'application/json' })) {
      await new Promise((resolve) => channel.once('drain', resolve));
    }
  }
  await channel.waitForConfirms();
  process.stderr.write(`filled ${orders} in ${Date.now() - started} ms\n`);
}

/** Stores the deliveries, acks them after the commit, then publishes, confirms and marks their messages. */
function pipeline(pool: pg.Pool, inbound: Channel, outbound: ConfirmChannel, outQueue: string) {
  return async (deliveries: readonly ConsumeMessage[]): Promise<number> => {
    const { admitted, outboxIds } = await storeBatch(
      pool,
      deliveries.map((delivery) => calculate(delivery.content)),
    );
    for (const delivery of deliveries) inbound.ack(delivery);
    for (const order of admitted) {
      outbound.sendToQueue(outQueue, Buffer.from(order.message), {
        persistent: true,
        mandatory: true,
        contentType: 'application/json',
        type: 'OrderCalculated',
        messageId: order.eventId,
      });
    }
    await outbound.waitForConfirms();
    await markPublished(pool, outboxIds);
    return deliveries.length;
  };
}

async function drain(mode: Mode, orders: number, pool: pg.Pool, connection: amqp.ChannelModel): Promise<number> {
  const inbound = await connection.createChannel();
  const outbound = await connection.createConfirmChannel();
  const handle = pipeline(pool, inbound, outbound, `${PREFIX}.out`);
  await inbound.prefetch(mode === 'batch' ? 4 * BATCH : NAIVE_PREFETCH);
  const started = Date.now();
  let done = 0;
  await new Promise<void>((resolve, reject) => {
    const settle = (count: number) => {
      done += count;
      if (done >= orders) resolve();
    };
    let waiting: ConsumeMessage[] = [];
    let timer: NodeJS.Timeout | undefined;
    const flush = () => {
      clearTimeout(timer);
      timer = undefined;
      const batch = waiting;
      waiting = [];
      if (batch.length > 0) handle(batch).then(settle, reject);
    };
    void inbound.consume(`${PREFIX}.in`, (delivery) => {
      if (!delivery) return;
      if (mode === 'naive') {
        handle([delivery]).then(settle, reject);
        return;
      }
      waiting.push(delivery);
      if (waiting.length >= BATCH) flush();
      else timer ??= setTimeout(flush, FLUSH_AFTER_MS);
    });
  });
  return Date.now() - started;
}

async function main(): Promise<void> {
  const [command, mode, count] = process.argv.slice(2);
  if (command !== 'run' || (mode !== 'batch' && mode !== 'naive')) throw new Error('usage: run batch|naive N');
  const orders = Number(count ?? 50_000);
  if (!Number.isInteger(orders) || orders < 1) throw new Error('N must be a positive integer');
  const pool = new pg.Pool({ connectionString: PGURL, max: 10, application_name: `${PREFIX}-yardstick` });
  const connection = await amqp.connect(RABBITMQ_URL, { noDelay: true });
  try {
    const setup = await connection.createConfirmChannel();
    for (const queue of [`${PREFIX}.in`, `${PREFIX}.out`]) {
      await setup.assertQueue(queue, { durable: true });
      await setup.purgeQueue(queue);
    }
    await createYardstickSchema(pool);
    await fill(setup, `${PREFIX}.in`, orders);
    const ms = await drain(mode, orders, pool, connection);
    const [stored] = (
      await pool.query<{ orders: number; total: string }>(
        'SELECT count(*)::int AS orders, coalesce(sum(total), 0)::text AS total FROM yardstick_orders',
      )
    ).rows;
    if (stored.orders !== orders) throw new Error(`stored ${stored.orders} orders of ${orders}`);
    process.stdout.write(
      `${JSON.stringify({ mode, n: orders, ms, perSec: Math.round((orders / ms) * 1000), stored })}\n`,
    );
    for (const queue of [`${PREFIX}.in`, `${PREFIX}.out`]) await setup.deleteQueue(queue);
  } finally {
    await connection.close().catch(() => undefined);
    await pool.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`yardstick failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
