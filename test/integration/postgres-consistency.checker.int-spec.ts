import { Currency, Money, type OrderChanges, type ReceiveOrderResult } from '@app/ordering';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresConsistencyChecker } from '../../apps/order-service/src/cli/postgres-consistency.checker.js';
import { TypeOrmUnitOfWork } from '../../apps/order-service/src/outbound/postgres/typeorm-unit-of-work.js';
import { anItem, anOrderMessage, type OrderMessage } from '../fixtures/order.mother.js';
import { changesOn, intakeOn } from '../support/order-intake.js';
import { TestDatabase } from '../support/test-database.js';

const RETENTION_HOURS = 24;

describe('PostgresConsistencyChecker against a real Postgres', () => {
  let database: TestDatabase;
  let checker: PostgresConsistencyChecker;
  let receive: (message: OrderMessage) => Promise<ReceiveOrderResult>;
  let changes: OrderChanges;

  /** The contract example (BRL 45.30: 2 × 19.90 + 1 × 5.50), stored by the real intake path. */
  const storedOrder = async () => (await receive(anOrderMessage())).orderId;
  const differencesOf = async (orderId: string) =>
    (await checker.check({ outboxRetentionHours: RETENTION_HOURS })).differences
      .filter((difference) => difference.orderId === orderId)
      .map(({ check, problem }) => [check, problem]);

  beforeAll(async () => {
    database = await TestDatabase.create();
    checker = new PostgresConsistencyChecker(database.dataSource);
    const unitOfWork = new TypeOrmUnitOfWork(database.dataSource);
    receive = intakeOn(unitOfWork);
    changes = changesOn(unitOfWork);
  });

  const PAYMENTS = { source: 'amqp', actor: 'payment.confirmed', correlationId: null } as const;
  const BACK_OFFICE = { source: 'http', actor: '0123456789ab', correlationId: null } as const;

  /** The contract example, paid (45.30 BRL) and shipped through the real lifecycle path: version 3. */
  async function shippedOrder(): Promise<string> {
    const orderId = await storedOrder();
    const amount = Money.parse('45.30', Currency.of('BRL'));
    await changes.apply({
      orderId,
      expectedVersion: null,
      change: (order, at) => order.confirmPayment({ paymentId: `PAY-${orderId}`, amount }, PAYMENTS, at),
    });
    await changes.apply({
      orderId,
      expectedVersion: 2,
      change: (order, at) => order.ship({ carrier: 'Correios', trackingCode: null }, BACK_OFFICE, at),
    });
    return orderId;
  }

  it('finds nothing to report in orders as the service writes them', async () => {
    const orders = [
      anOrderMessage(),
      anOrderMessage({ customerId: undefined, currency: 'JPY', items: [anItem({ unitPrice: '1500', quantity: 3 })] }),
      anOrderMessage({ currency: 'KWD', items: [anItem({ name: undefined, unitPrice: 0.125, quantity: 1_000_000 })] }),
      anOrderMessage({ items: Array.from({ length: 40 }, (_, index) => anItem({ productId: `P-${index}` })) }),
    ];
    for (const order of orders) await receive(order);

    expect(await checker.check({ outboxRetentionHours: RETENTION_HOURS })).toEqual({
      ordersChecked: orders.length,
      differences: [],
    });
  });

  it.each<[string, string, [string, RegExp][]]>([
    [
      'a line whose quantity changed',
      `UPDATE order_lines SET quantity = 3 WHERE order_id = $1 AND line_no = 1`,
      [
        ['order-lines', /^has total 45\.30 but its lines add up to 65\.20$/],
        [
          'read-table',
          /^line 1 is 3 × P-1 at 19\.90 \(59\.70\) in order_lines but 2 × P-1 at 19\.90 \(39\.80\) in the/,
        ],
      ],
    ],
    [
      'a lost line',
      `DELETE FROM order_lines WHERE order_id = $1 AND line_no = 2`,
      [
        ['order-lines', /^has 1 lines in order_lines but item_count 2$/],
        ['order-lines', /^has total 45\.30 but its lines add up to 39\.80$/],
      ],
    ],
    [
      'a read row with another status',
      `UPDATE order_views SET status = 'RECEIVED' WHERE order_id = $1`,
      [['read-table', /^status is CALCULATED in orders but RECEIVED in order_views \(CALCULATED in its document\)$/]],
    ],
    [
      'a read document with another total',
      `UPDATE order_views SET document = jsonb_set(document::jsonb, '{total}', '"1.00"')::json WHERE order_id = $1`,
      [['read-table', /^total is 45\.30 in orders but 45\.30 in order_views \(1\.00 in its document\)$/]],
    ],
    [
      'a read document with a line changed',
      `UPDATE order_views SET document = jsonb_set(document::jsonb, '{items,1,productId}', '"P-8"')::json
       WHERE order_id = $1`,
      [['read-table', /^line 2 is 1 × P-7 at 5\.50 \(5\.50\) in order_lines but 1 × P-8 at 5\.50 \(5\.50\)/]],
    ],
    [
      'a missing read row',
      `DELETE FROM order_views WHERE order_id = $1`,
      [['read-table', /^has no row in order_views$/]],
    ],
    [
      'a missing OrderCalculated message',
      `DELETE FROM outbox WHERE aggregate_id = $1`,
      [['outbox', /^is CALCULATED but has no OrderCalculated message in the outbox$/]],
    ],
    [
      'an OrderCalculated message written twice',
      `INSERT INTO outbox (event_id, event_type, aggregate_id, payload, occurred_at)
       SELECT gen_random_uuid(), event_type, aggregate_id, payload, occurred_at FROM outbox WHERE aggregate_id = $1`,
      [['outbox', /^has 2 OrderCalculated messages in the outbox, not 1$/]],
    ],
    [
      'an OrderCalculated message with another total',
      `UPDATE outbox SET payload = jsonb_set(payload::jsonb, '{total}', '"9.99"')::json WHERE aggregate_id = $1`,
      [['outbox', /^has total 45\.30 but its OrderCalculated message says 9\.99$/]],
    ],
    [
      'an order whose own total changed',
      `UPDATE orders SET total = 45.31 WHERE id = $1`,
      [
        ['order-lines', /^has total 45\.31 but its lines add up to 45\.30$/],
        ['read-table', /^total is 45\.31 in orders but 45\.30 in order_views \(45\.30 in its document\)$/],
        ['outbox', /^has total 45\.31 but its OrderCalculated message says 45\.30$/],
      ],
    ],
  ])('reports %s, naming the order and what differs', async (_case, corruption, expected) => {
    const orderId = await storedOrder();
    await database.query(corruption, [orderId]);

    const found = await differencesOf(orderId);

    expect(found).toHaveLength(expected.length);
    expected.forEach(([check, problem], index) =>
      expect(found[index]).toEqual([check, expect.stringMatching(problem)]),
    );
  });

  it('reports a read row and OrderCalculated messages whose order does not exist', async () => {
    const orderId = await storedOrder();
    const ghost = crypto.randomUUID();
    await database.query(
      `INSERT INTO order_views (order_id, external_id, customer_id, status, currency, total, received_at, updated_at, document)
       SELECT $2, 'GHOST-' || external_id, customer_id, status, currency, total, received_at, updated_at, document
       FROM order_views WHERE order_id = $1`,
      [orderId, ghost],
    );
    await database.query(
      `INSERT INTO outbox (event_id, event_type, aggregate_id, payload, occurred_at)
       SELECT gen_random_uuid(), event_type, $2, payload, occurred_at FROM outbox WHERE aggregate_id = $1`,
      [orderId, ghost],
    );

    expect(await differencesOf(ghost)).toEqual([
      ['read-table', 'has a row in order_views but none in orders'],
      ['outbox', 'has 1 OrderCalculated message(s) in the outbox but no row in orders'],
    ]);
  });

  it('expects no OrderCalculated message of an order calculated before the outbox retention', async () => {
    const orderId = await storedOrder();
    await database.query(`UPDATE orders SET calculated_at = now() - make_interval(hours => $2 + 1) WHERE id = $1`, [
      orderId,
      RETENTION_HOURS,
    ]);
    await database.query(`DELETE FROM outbox WHERE aggregate_id = $1`, [orderId]);

    expect(await differencesOf(orderId)).toEqual([]);
  });

  it('finds nothing to report in orders paid and shipped as the service changes them', async () => {
    const orderId = await shippedOrder();
    expect(await differencesOf(orderId)).toEqual([]);
  });

  it.each<[string, string, [string, RegExp][]]>([
    [
      'a lost history entry',
      `DELETE FROM order_history WHERE order_id = $1 AND version = 2`,
      [['history', /^is at version 3 but its history holds 2 entries, versions 1 to 3$/]],
    ],
    [
      'a history that stops short of the order',
      `DELETE FROM order_history WHERE order_id = $1 AND version = 3`,
      [
        ['history', /^is at version 3 but its history holds 2 entries, versions 1 to 2$/],
        ['history', /^is SHIPPED but its latest history entry says PAID$/],
      ],
    ],
    [
      'a status change without its message',
      `DELETE FROM outbox WHERE aggregate_id = $1 AND event_type = 'OrderShipped'`,
      [['history', /^has history entry .* \(OrderShipped, version 3\) but no message with its eventId in the outbox$/]],
    ],
    [
      'a read row at another version',
      `UPDATE order_views SET version = 2 WHERE order_id = $1`,
      [['read-table', /^version is 3 in orders but 2 in order_views \(3 in its document\)$/]],
    ],
    [
      'a read document without its shipment time',
      `UPDATE order_views SET document = jsonb_set(document::jsonb, '{shippedAt}', 'null')::json WHERE order_id = $1`,
      [
        [
          'read-table',
          /^the status times \(paid, shipped, delivered, cancelled\) are .* in orders but .*, null, null, null in order_views$/,
        ],
      ],
    ],
  ])('reports %s in a shipped order, naming the order and what differs', async (_case, corruption, expected) => {
    const orderId = await shippedOrder();
    await database.query(corruption, [orderId]);

    const found = await differencesOf(orderId);

    expect(found).toHaveLength(expected.length);
    expected.forEach(([check, problem], index) =>
      expect(found[index]).toEqual([check, expect.stringMatching(problem)]),
    );
  });

  afterAll(() => database?.drop());
});
