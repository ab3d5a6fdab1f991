import type { Message } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anItem, anOrderMessage, largestLegalOrderMessage, uniqueExternalId } from '../fixtures/order.mother.js';
import { serviceEnvironment } from '../support/order-service.env.js';
import { ServiceProcess } from '../support/service-process.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { eventually, TestBroker } from '../support/test-broker.js';
import { TestDatabase } from '../support/test-database.js';

/** The service's default INBOUND_OFF_THREAD_DECODE_BYTES. */
const OFF_THREAD_BYTES = 64 * 1024;

interface OrderRow {
  id: string;
  external_id: string;
  status: string;
  total: string;
  currency: string;
  customer_id: string | null;
  item_count: number;
  correlation_id: string | null;
}

describe('order intake: product A publishes, the service stores and calculates', () => {
  let database: TestDatabase;
  let broker: TestBroker;
  let proxy: TcpProxy;
  let service: ServiceProcess;
  const deadLetters: Message[] = [];

  const ordersFor = (externalId: string) =>
    database.query<OrderRow>('SELECT * FROM orders WHERE external_id = $1', [externalId]);
  const outboxFor = (orderId: string) =>
    database.query<{ payload: Record<string, unknown>; correlation_id: string | null; published_at: Date | null }>(
      'SELECT payload, correlation_id, published_at FROM outbox WHERE aggregate_id = $1',
      [orderId],
    );
  const calculatedOrder = (externalId: string) =>
    eventually(
      async () => (await ordersFor(externalId)).find((row) => row.status === 'CALCULATED'),
      20_000,
      externalId,
    );
  const deadLettered = (messageId: string) =>
    eventually(
      async () => {
        deadLetters.push(...(await broker.drain(broker.names.DEAD_LETTER_QUEUE)));
        return deadLetters.find((message) => message.properties.messageId === messageId);
      },
      20_000,
      `dead letter ${messageId}`,
    );
  const inboundDrained = () =>
    eventually(async () => ((await broker.messageCount(broker.names.INBOUND_QUEUE)) === 0 ? true : undefined));

  beforeAll(async () => {
    database = await TestDatabase.create();
    broker = await TestBroker.connect();
    proxy = await TcpProxy.start(5432);
    service = await ServiceProcess.start(serviceEnvironment(proxy.route(database.url), broker.names));
  });

  afterAll(async () => {
    if (process.env.E2E_SHOW_LOGS) console.log(service?.logs);
    await service?.stop();
    await proxy?.cut();
    await broker?.deleteAll();
    await broker?.close();
    await database?.drop();
  });

  it('turns the contract example into one CALCULATED order with an exact total and one published OrderCalculated', async () => {
    const message = anOrderMessage({
      customerId: 'C-42',
      currency: 'BRL',
      items: [
        { productId: 'P-1', name: 'Mouse', unitPrice: '19.90', quantity: 2 },
        { productId: 'P-7', name: 'Pad', unitPrice: 5.5, quantity: 1 },
      ],
    });
    await broker.publish(message, { messageId: 'contract-example', correlationId: 'corr-42' });

    const order = await calculatedOrder(message.externalId);
    expect(order).toMatchObject({ total: '45.30', currency: 'BRL', customer_id: 'C-42', item_count: 2 });
    expect(order.correlation_id).toBe('corr-42');
    const lines = await database.query<{ line_no: number; product_id: string; unit_price: string; quantity: number }>(
      'SELECT line_no, product_id, unit_price, quantity FROM order_lines WHERE order_id = $1 ORDER BY line_no',
      [order.id],
    );
    expect(lines).toEqual([
      { line_no: 1, product_id: 'P-1', unit_price: '19.90', quantity: 2 },
      { line_no: 2, product_id: 'P-7', unit_price: '5.50', quantity: 1 },
    ]);
    const published = await eventually(async () => {
      const rows = await outboxFor(order.id);
      return rows.every((row) => row.published_at !== null) ? rows : undefined;
    });
    expect(published).toHaveLength(1);
    expect(published[0].correlation_id).toBe('corr-42');
    expect(published[0].payload).toEqual({
      eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      eventType: 'OrderCalculated',
      occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      orderId: order.id,
      externalId: message.externalId,
      customerId: 'C-42',
      status: 'CALCULATED',
      currency: 'BRL',
      total: '45.30',
      itemCount: 2,
      items: [
        { productId: 'P-1', name: 'Mouse', unitPrice: '19.90', quantity: 2, lineTotal: '39.80' },
        { productId: 'P-7', name: 'Pad', unitPrice: '5.50', quantity: 1, lineTotal: '5.50' },
      ],
    });
    const [delivered] = await broker.drain(broker.names.EVENTS_QUEUE);
    expect(JSON.parse(delivered.content.toString())).toEqual(published[0].payload);
    const accepted = service.logs
      .split('\n')
      .find((line) => line.includes('Order accepted') && line.includes(message.externalId));
    expect(JSON.parse(accepted ?? '{}')).toMatchObject({
      level: 'info',
      message: 'Order accepted',
      externalId: message.externalId,
      orderId: order.id,
      correlationId: 'corr-42',
      messageId: 'contract-example',
    });
    await inboundDrained();
  });

  it('processes an order whose message_id and correlation_id hold control characters, with them stripped', async () => {
    const message = anOrderMessage();
    await broker.publish(message, {
      messageId: 'id\u0000with\u0007controls',
      correlationId: '\u0000corr\u001f-7\u007f',
    });

    const order = await calculatedOrder(message.externalId);
    expect(order.correlation_id).toBe('corr-7');
    const published = await eventually(async () => {
      const rows = await outboxFor(order.id);
      return rows.every((row) => row.published_at !== null) ? rows : undefined;
    });
    expect(published.map((row) => row.correlation_id)).toEqual(['corr-7']);
    await inboundDrained();
    expect(deadLetters.filter((letter) => letter.properties.messageId === 'id\u0000with\u0007controls')).toEqual([]);
  });

  it('accepts a message without content type and computes with currency decimals (JPY, KWD)', async () => {
    const yen = anOrderMessage({ currency: 'JPY', items: [anItem({ unitPrice: '1500', quantity: 3 })] });
    const dinar = anOrderMessage({ currency: 'KWD', items: [anItem({ unitPrice: '0.125', quantity: 3 })] });
    await broker.publish(yen, { contentType: undefined });
    await broker.publish(dinar);
    expect((await calculatedOrder(yen.externalId)).total).toBe('4500');
    expect((await calculatedOrder(dinar.externalId)).total).toBe('0.375');
  });

  it('acknowledges a republished order as a duplicate: no second order and no second event', async () => {
    const message = anOrderMessage();
    await broker.publish(message, { messageId: 'first' });
    const order = await calculatedOrder(message.externalId);
    // Same content written differently (number instead of string, other key order) is still the same order.
    const rewritten = {
      ...message,
      items: message.items
        .map((item) => ({ ...item }))
        .reverse()
        .reverse(),
    };
    await broker.publish(rewritten, { messageId: 'again' });
    await broker.publish(Buffer.from(JSON.stringify(message)), { messageId: 'and-again' });
    await service.waitForLog('"outcome":"duplicate"');
    await inboundDrained();
    expect(await ordersFor(message.externalId)).toHaveLength(1);
    expect(await outboxFor(order.id)).toHaveLength(1);
  });

  it('dead-letters a conflicting duplicate with duplicate-conflict and keeps the first order', async () => {
    const first = anOrderMessage({ items: [anItem({ unitPrice: '10.00', quantity: 1 })] });
    await broker.publish(first);
    const order = await calculatedOrder(first.externalId);
    const conflicting = Buffer.from(JSON.stringify({ ...first, items: [anItem({ unitPrice: '99.99', quantity: 1 })] }));
    await broker.publish(conflicting, { messageId: 'conflict', headers: { 'x-trace': 't-1' } });

    const dead = await deadLettered('conflict');
    expect(dead.properties.headers?.['x-rejection-reason']).toBe('duplicate-conflict');
    expect(String(dead.properties.headers?.['x-rejection-detail'])).toContain(first.externalId);
    expect(dead.properties.headers?.['x-trace']).toBe('t-1');
    expect(dead.content.equals(conflicting)).toBe(true);
    expect(await ordersFor(first.externalId)).toEqual([expect.objectContaining({ id: order.id, total: '10.00' })]);
  });

  it.each([
    ['a body that is not JSON', Buffer.from('{"externalId": "A-1", oops'), 'invalid-json', /JSON/],
    ['a body that is not UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 'invalid-json', /UTF-8/],
    ['a JSON array', Buffer.from('[1, 2, 3]'), 'invalid-order', /object/],
    ['a JSON string', Buffer.from('"order"'), 'invalid-order', /object/],
    [
      'an order without externalId',
      JSON.stringify({ ...anOrderMessage(), externalId: undefined }),
      'invalid-order',
      /externalId/,
    ],
    [
      'a price with too many decimals',
      JSON.stringify(anOrderMessage({ items: [anItem({ unitPrice: '19.999' })] })),
      'invalid-order',
      /items\[0\]\.unitPrice/,
    ],
    [
      'a negative quantity',
      JSON.stringify(anOrderMessage({ items: [anItem({ quantity: -1 })] })),
      'invalid-order',
      /items\[0\]\.quantity/,
    ],
    ['an unknown currency', JSON.stringify(anOrderMessage({ currency: 'XYZ' })), 'invalid-order', /currency/],
    ['an order with no items', JSON.stringify(anOrderMessage({ items: [] })), 'invalid-order', /items/],
  ])('dead-letters %s with reason %s and a detail naming the problem', async (_case, body, reason, detail) => {
    const content = Buffer.isBuffer(body) ? body : Buffer.from(body);
    const messageId = uniqueExternalId('bad');
    await broker.publish(content, { messageId });
    const dead = await deadLettered(messageId);
    expect(dead.properties.headers?.['x-rejection-reason']).toBe(reason);
    expect(String(dead.properties.headers?.['x-rejection-detail'])).toMatch(detail);
    expect(dead.content.equals(content)).toBe(true);
  });

  describe('bodies over INBOUND_OFF_THREAD_DECODE_BYTES, read on the decoding thread', () => {
    it('calculates the largest legal order exactly, names escaped and extra fields ignored', async () => {
      const message = largestLegalOrderMessage();
      const body = JSON.stringify({ ...message, padding: 'x'.repeat(100_000) }).replaceAll('Product', '\\u00dfProdukt');
      expect(body.length).toBeGreaterThan(OFF_THREAD_BYTES);
      await broker.publish(Buffer.from(body));

      const order = await calculatedOrder(message.externalId);
      expect(order).toMatchObject({ total: '1000000000000000000.00', item_count: 1000 });
      const [view] = await database.query<{ document: { items: { name: string }[] } }>(
        'SELECT document FROM order_views WHERE order_id = $1',
        [order.id],
      );
      expect(view.document.items[999].name).toBe('\u00dfProdukt 1000');
    });

    it('dead-letters a large order with a bad line as invalid-order, naming the line', async () => {
      const order = anOrderMessage({
        items: Array.from({ length: 1000 }, (_, index) =>
          anItem({ productId: `P-${index}`, unitPrice: index === 998 ? '1.234' : '1.00' }),
        ),
      });
      const content = Buffer.from(JSON.stringify({ ...order, padding: 'x'.repeat(OFF_THREAD_BYTES) }));
      await broker.publish(content, { messageId: 'large-invalid' });

      const dead = await deadLettered('large-invalid');
      expect(dead.properties.headers?.['x-rejection-reason']).toBe('invalid-order');
      expect(String(dead.properties.headers?.['x-rejection-detail'])).toMatch(/items\[998\]\.unitPrice/);
      expect(dead.content.equals(content)).toBe(true);
    });

    it('dead-letters a large body that is not JSON as invalid-json', async () => {
      const content = Buffer.from(`{"externalId":"A-1","x":"${'y'.repeat(OFF_THREAD_BYTES)}`);
      await broker.publish(content, { messageId: 'large-not-json' });

      const dead = await deadLettered('large-not-json');
      expect(dead.properties.headers?.['x-rejection-reason']).toBe('invalid-json');
      expect(dead.content.equals(content)).toBe(true);
    });

    it('accepts an order padded with a million numbers in an unknown field', async () => {
      const message = anOrderMessage();
      const numbers = Array(1_000_000).fill('1').join(',');
      await broker.publish(Buffer.from(`${JSON.stringify(message).slice(0, -1)},"x":[${numbers}]}`));
      await calculatedOrder(message.externalId);
    });
  });

  it('keeps consuming after bad input', async () => {
    await broker.publish(Buffer.from('not json at all'));
    const message = anOrderMessage();
    await broker.publish(message);
    await calculatedOrder(message.externalId);
  });

  it('holds an order while the database is unreachable and stores it once it is back, without dead-lettering', async () => {
    await proxy.cut();
    const message = anOrderMessage();
    await broker.publish(message, { messageId: 'during-outage' });
    await service.waitForLog('Dependency unavailable');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const isDeadLettered = async () => {
      deadLetters.push(...(await broker.drain(broker.names.DEAD_LETTER_QUEUE)));
      return deadLetters.some((dead) => dead.properties.messageId === 'during-outage');
    };
    expect(await isDeadLettered()).toBe(false);
    await proxy.open();
    expect((await calculatedOrder(message.externalId)).status).toBe('CALCULATED');
    await inboundDrained();
    expect(await isDeadLettered()).toBe(false);
  });

  it('dead-letters a message whose processing keeps failing after 5 attempts, and keeps the others flowing', async () => {
    await database.poisonOrders('POISON-');
    const poison = anOrderMessage({ externalId: uniqueExternalId('POISON') });
    const healthy = anOrderMessage();
    await broker.publish(poison, { messageId: 'poison' });
    await broker.publish(healthy);

    await calculatedOrder(healthy.externalId);
    const dead = await deadLettered('poison');
    expect(dead.properties.headers?.['x-rejection-reason']).toBe('processing-failed');
    expect(String(dead.properties.headers?.['x-rejection-detail'])).toMatch(/5 times.*poison order/);
    expect(await ordersFor(poison.externalId)).toHaveLength(0);
    expect(service.logs.match(/Processing failed \(attempt/g)).toHaveLength(4);
  });
});
