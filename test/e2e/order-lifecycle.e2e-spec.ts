import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Message } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anItem, anOrderMessage } from '../fixtures/order.mother.js';
import { type ApiAnswer, OrderApi } from '../support/order-api.js';
import { serviceEnvironment, TEST_API_KEY } from '../support/order-service.env.js';
import { type OrderStatusChangedMessage, ProductBConsumer } from '../support/product-b-consumer.js';
import { ServiceProcess } from '../support/service-process.js';
import { eventually, TestBroker } from '../support/test-broker.js';
import { TestDatabase } from '../support/test-database.js';

interface OrderBody {
  orderId: string;
  status: string;
  total: string;
  version: number;
  paidAt: string | null;
  shippedAt: string | null;
  deliveredAt: string | null;
  cancelledAt: string | null;
  updatedAt: string;
}

interface HistoryBody {
  orderId: string;
  entries: {
    eventId: string;
    eventType: string;
    status: string;
    version: number;
    source: string;
    actor: string;
    details: Record<string, unknown>;
  }[];
}

interface ErrorBody {
  statusCode: number;
  message: string;
}

/** How long the service waits for the order of a payment it does not know, in these tests. */
const UNKNOWN_ORDER_WAIT_MS = 1_500;
const KEY_FINGERPRINT = createHash('sha256').update(TEST_API_KEY).digest('hex').slice(0, 12);

describe('the order lifecycle: payments in, changes over REST, events out, history', () => {
  let database: TestDatabase;
  let broker: TestBroker;
  let service: ServiceProcess;
  let api: OrderApi;
  let events: ProductBConsumer<OrderStatusChangedMessage>;
  /** What GET /orders/{id} answered when each event arrived (read-your-event). */
  const seenOnReceipt = new Map<string, OrderBody>();
  const deadLetters: Message[] = [];

  const eventsOf = (orderId: string) =>
    [...events.handled.values()]
      .map(({ message }) => message)
      .filter((message) => message.orderId === orderId)
      .sort((a, b) => a.version - b.version);

  /** Product A's order, calculated: the order as GET answers it. */
  async function placeOrder(unitPrice = '19.90', quantity = 2): Promise<OrderBody> {
    const message = anOrderMessage({ currency: 'BRL', items: [anItem({ unitPrice, quantity })] });
    await broker.publish(message);
    return eventually(async () => {
      const page = await api.get<{ data: OrderBody[] }>(`/orders?externalId=${message.externalId}`);
      return page.body.data[0];
    });
  }

  const confirmation = (order: OrderBody, overrides: Record<string, unknown> = {}) => ({
    paymentId: `PAY-${randomUUID()}`,
    orderId: order.orderId,
    amount: order.total,
    currency: 'BRL',
    occurredAt: '2026-11-21T10:02:00Z',
    ...overrides,
  });

  const rejection = (order: OrderBody, overrides: Record<string, unknown> = {}) => ({
    paymentId: `PAY-${randomUUID()}`,
    orderId: order.orderId,
    reason: 'card declined',
    occurredAt: '2026-11-21T10:01:00Z',
    ...overrides,
  });

  const statusOf = async (orderId: string, status: string) =>
    eventually(async () => {
      const answer = await api.get<OrderBody>(`/orders/${orderId}`);
      return answer.body.status === status ? answer.body : undefined;
    });

  /** Takes what is in the payments DLQ now into `deadLetters`, then finds the one with this message id. */
  const deadLettered = (messageId: string) =>
    eventually(
      async () => {
        deadLetters.push(...(await broker.drain(broker.names.PAYMENTS_DEAD_LETTER_QUEUE)));
        return deadLetters.find((letter) => letter.properties.messageId === messageId);
      },
      20_000,
      `dead letter ${messageId}`,
    );

  const reasonOf = (letter: Message) => ({
    reason: letter.properties.headers?.['x-rejection-reason'] as unknown,
    detail: String(letter.properties.headers?.['x-rejection-detail']),
  });

  beforeAll(async () => {
    database = await TestDatabase.create();
    broker = await TestBroker.connect();
    service = await ServiceProcess.start(
      serviceEnvironment(database.url, broker.names, {
        PAYMENTS_UNKNOWN_ORDER_RETRY_MS: String(UNKNOWN_ORDER_WAIT_MS),
      }),
    );
    api = new OrderApi(service.baseUrl);
    events = await ProductBConsumer.start<OrderStatusChangedMessage>(
      broker.names.STATUS_EVENTS_QUEUE,
      async (message) => {
        seenOnReceipt.set(message.eventId, (await api.get<OrderBody>(`/orders/${message.orderId}`)).body);
      },
    );
  });

  afterAll(async () => {
    if (process.env.E2E_SHOW_LOGS) console.log(service?.logs);
    await events?.stop();
    await service?.stop();
    await broker?.deleteAll();
    await broker?.close();
    await database?.drop();
  });

  describe('payments', () => {
    it('pays a calculated order: PAID, one OrderPaid with the payment, the order already PAID on its receipt', async () => {
      const order = await placeOrder();
      const payment = confirmation(order, { amount: '39.8' });

      await broker.publishPayment('confirmed', payment, { correlationId: 'corr-pay-1' });

      const paid = await statusOf(order.orderId, 'PAID');
      expect(paid).toMatchObject({ version: 2, paidAt: expect.any(String) });
      const [event] = await eventually(() =>
        eventsOf(order.orderId).length > 0 ? eventsOf(order.orderId) : undefined,
      );
      expect(event).toMatchObject({
        eventType: 'OrderPaid',
        status: 'PAID',
        previousStatus: 'CALCULATED',
        version: 2,
        details: { paymentId: payment.paymentId, amount: '39.80', currency: 'BRL' },
      });
      const { delivery } = events.handled.get(event.eventId)!;
      expect(delivery.fields.routingKey).toBe('order.paid');
      expect(delivery.properties).toMatchObject({
        messageId: event.eventId,
        type: 'OrderPaid',
        correlationId: 'corr-pay-1',
        deliveryMode: 2,
      });
      expect(seenOnReceipt.get(event.eventId)).toMatchObject({ status: 'PAID', version: 2 });
    });

    it('acknowledges the same payment again with no change, and dead-letters another content under its paymentId', async () => {
      const order = await placeOrder();
      const payment = confirmation(order);
      await broker.publishPayment('confirmed', payment);
      await statusOf(order.orderId, 'PAID');

      await broker.publishPayment('confirmed', payment);
      await broker.publishPayment(
        'confirmed',
        { ...payment, amount: '1.00' },
        { messageId: `conflict-${order.orderId}` },
      );

      const letter = await deadLettered(`conflict-${order.orderId}`);
      expect(reasonOf(letter)).toEqual({
        reason: 'duplicate-conflict',
        detail: expect.stringContaining(payment.paymentId),
      });
      await sleep(300);
      expect(eventsOf(order.orderId).map((event) => event.eventType)).toEqual(['OrderPaid']);
      expect((await api.get<OrderBody>(`/orders/${order.orderId}`)).body.version).toBe(2);
    });

    it('dead-letters an amount or currency that is not the order total, naming both, and leaves the order as it was', async () => {
      const order = await placeOrder('10.00', 3);
      await broker.publishPayment('confirmed', confirmation(order, { amount: '29.99' }), {
        messageId: `short-${order.orderId}`,
      });
      await broker.publishPayment('confirmed', confirmation(order, { currency: 'USD' }), {
        messageId: `usd-${order.orderId}`,
      });

      expect(reasonOf(await deadLettered(`short-${order.orderId}`))).toEqual({
        reason: 'payment-mismatch',
        detail: expect.stringMatching(/29\.99 BRL.*30\.00 BRL/),
      });
      expect(reasonOf(await deadLettered(`usd-${order.orderId}`))).toEqual({
        reason: 'payment-mismatch',
        detail: expect.stringMatching(/30\.00 USD.*30\.00 BRL/),
      });
      expect((await api.get<OrderBody>(`/orders/${order.orderId}`)).body).toMatchObject({
        status: 'CALCULATED',
        version: 1,
      });
    });

    it('fails a payment, then pays it; a rejection after that changes nothing', async () => {
      const order = await placeOrder();
      await broker.publishPayment('rejected', rejection(order));
      await statusOf(order.orderId, 'PAYMENT_FAILED');
      await broker.publishPayment('confirmed', confirmation(order));
      await statusOf(order.orderId, 'PAID');
      await broker.publishPayment('rejected', rejection(order));
      await sleep(500);

      const changes = await eventually(() =>
        eventsOf(order.orderId).length >= 2 ? eventsOf(order.orderId) : undefined,
      );
      expect(changes.map((event) => [event.eventType, event.version])).toEqual([
        ['OrderPaymentFailed', 2],
        ['OrderPaid', 3],
      ]);
      expect(changes[0].details).toEqual({ paymentId: expect.any(String), reason: 'card declined' });
      expect((await api.get<OrderBody>(`/orders/${order.orderId}`)).body).toMatchObject({ status: 'PAID', version: 3 });
    });

    it('dead-letters a payment that breaks a rule naming the field, and one that is not JSON, byte for byte', async () => {
      const order = await placeOrder();
      const noPaymentId = JSON.stringify({ ...confirmation(order), paymentId: undefined });
      await broker.publishPayment('confirmed', noPaymentId, { messageId: `no-id-${order.orderId}` });
      await broker.publishPayment('confirmed', confirmation(order, { amount: '1.001' }), {
        messageId: `places-${order.orderId}`,
      });
      await broker.publishPayment('rejected', rejection(order, { reason: '' }), {
        messageId: `reason-${order.orderId}`,
      });
      await broker.publishPayment('confirmed', confirmation(order, { orderId: 'not-a-uuid' }), {
        messageId: `uuid-${order.orderId}`,
      });
      await broker.publishPayment('confirmed', '{"paymentId": oops', { messageId: `json-${order.orderId}` });

      const noId = await deadLettered(`no-id-${order.orderId}`);
      expect(reasonOf(noId)).toEqual({ reason: 'invalid-payment', detail: 'paymentId is required.' });
      expect(noId.content.toString()).toBe(noPaymentId);
      expect(reasonOf(await deadLettered(`places-${order.orderId}`))).toMatchObject({
        reason: 'invalid-payment',
        detail: expect.stringMatching(/^amount .*decimal places/),
      });
      expect(reasonOf(await deadLettered(`reason-${order.orderId}`))).toMatchObject({
        reason: 'invalid-payment',
        detail: 'reason must not be empty.',
      });
      expect(reasonOf(await deadLettered(`uuid-${order.orderId}`))).toMatchObject({
        reason: 'invalid-payment',
        detail: expect.stringMatching(/^orderId /),
      });
      const notJson = await deadLettered(`json-${order.orderId}`);
      expect(reasonOf(notJson).reason).toBe('invalid-json');
      expect(notJson.content.toString()).toBe('{"paymentId": oops');
      expect((await api.get<OrderBody>(`/orders/${order.orderId}`)).body.status).toBe('CALCULATED');
    });

    it('waits for an order it does not know, then dead-letters the payment as unknown-order', async () => {
      const unknown = { orderId: randomUUID(), total: '1.00' } as OrderBody;
      const sentAt = Date.now();
      await broker.publishPayment('confirmed', confirmation(unknown), { messageId: `unknown-${unknown.orderId}` });

      const letter = await deadLettered(`unknown-${unknown.orderId}`);
      expect(Date.now() - sentAt).toBeGreaterThanOrEqual(UNKNOWN_ORDER_WAIT_MS);
      expect(reasonOf(letter)).toEqual({ reason: 'unknown-order', detail: expect.stringContaining(unknown.orderId) });
    });

    it('dead-letters a payment confirmed for a cancelled order as invalid-transition (someone must refund it)', async () => {
      const order = await placeOrder();
      expect((await api.delete(`/orders/${order.orderId}?reason=changed%20mind`)).status).toBe(200);
      await broker.publishPayment('confirmed', confirmation(order), { messageId: `late-${order.orderId}` });

      expect(reasonOf(await deadLettered(`late-${order.orderId}`))).toEqual({
        reason: 'invalid-transition',
        detail: `Order ${order.orderId} cannot be paid: it is CANCELLED.`,
      });
    });
  });

  describe('status changes over REST', () => {
    async function paidOrder(): Promise<OrderBody> {
      const order = await placeOrder();
      await broker.publishPayment('confirmed', confirmation(order));
      return statusOf(order.orderId, 'PAID');
    }

    it('ships, delivers, and refuses what no longer applies, each answer the order after the change', async () => {
      const order = await paidOrder();
      const shipped = await api.put<OrderBody>(
        `/orders/${order.orderId}/status`,
        { status: 'SHIPPED', carrier: 'Correios', trackingCode: 'BR123' },
        { 'If-Match': '"2"' },
      );
      expect(shipped.status).toBe(200);
      expect(shipped.body).toMatchObject({ status: 'SHIPPED', version: 3, shippedAt: expect.any(String) });
      expect(shipped.headers.get('etag')).toBe('"3"');

      const again = await api.put<OrderBody>(`/orders/${order.orderId}/status`, { status: 'SHIPPED' });
      expect(again.status).toBe(200);
      expect(again.body.version).toBe(3);

      const delivered = await api.put<OrderBody>(`/orders/${order.orderId}/status`, { status: 'DELIVERED' });
      expect(delivered.body).toMatchObject({ status: 'DELIVERED', version: 4, deliveredAt: expect.any(String) });

      const cancel = await api.put<ErrorBody>(`/orders/${order.orderId}/status`, {
        status: 'CANCELLED',
        reason: 'late',
      });
      expect(cancel.status).toBe(409);
      expect(cancel.body.message).toBe(`Order ${order.orderId} cannot be cancelled: it is DELIVERED.`);

      const changes = await eventually(() =>
        eventsOf(order.orderId).length >= 3 ? eventsOf(order.orderId) : undefined,
      );
      await sleep(300);
      expect(eventsOf(order.orderId).map((event) => [event.eventType, event.previousStatus, event.version])).toEqual([
        ['OrderPaid', 'CALCULATED', 2],
        ['OrderShipped', 'PAID', 3],
        ['OrderDelivered', 'SHIPPED', 4],
      ]);
      expect(changes[1].details).toEqual({ carrier: 'Correios', trackingCode: 'BR123' });
      expect(changes[2].details).toEqual({});
    });

    it('keeps the history of every status, oldest first, with the API key fingerprint and never the key', async () => {
      const order = await paidOrder();
      await api.put(`/orders/${order.orderId}/status`, { status: 'SHIPPED' });

      const history = await api.get<HistoryBody>(`/orders/${order.orderId}/history`);
      expect(history.status).toBe(200);
      expect(
        history.body.entries.map(({ eventType, status, version, source, actor }) => [
          eventType,
          status,
          version,
          source,
          actor,
        ]),
      ).toEqual([
        ['OrderCalculated', 'CALCULATED', 1, 'amqp', 'order.placed'],
        ['OrderPaid', 'PAID', 2, 'amqp', 'payment.confirmed'],
        ['OrderShipped', 'SHIPPED', 3, 'http', KEY_FINGERPRINT],
      ]);
      expect(JSON.stringify(history.body)).not.toContain(TEST_API_KEY);
      const published = await eventually(() =>
        eventsOf(order.orderId).length >= 2 ? eventsOf(order.orderId) : undefined,
      );
      expect(history.body.entries.slice(1).map((entry) => entry.eventId)).toEqual(
        published.map((event) => event.eventId),
      );
    });

    it('cancels with DELETE, saying whether the order had been paid', async () => {
      const unpaid = await placeOrder();
      const paid = await paidOrder();

      const first = await api.delete<OrderBody>(`/orders/${unpaid.orderId}`);
      const second = await api.delete<OrderBody>(`/orders/${paid.orderId}?reason=out%20of%20stock`);
      const again = await api.delete<OrderBody>(`/orders/${paid.orderId}?reason=twice`);

      expect(first.body).toMatchObject({ status: 'CANCELLED', cancelledAt: expect.any(String) });
      expect([second.status, again.status, again.body.version]).toEqual([200, 200, 3]);
      const cancelled = await eventually(() => {
        const found = [...eventsOf(unpaid.orderId), ...eventsOf(paid.orderId)].filter(
          (e) => e.eventType === 'OrderCancelled',
        );
        return found.length === 2 ? found : undefined;
      });
      expect(cancelled.map((event) => [event.orderId, event.details])).toEqual(
        expect.arrayContaining([
          [unpaid.orderId, { reason: null, wasPaid: false }],
          [paid.orderId, { reason: 'out of stock', wasPaid: true }],
        ]),
      );
    });

    it.each([
      ['a status set by payments', { status: 'PAID' }, /^status PAID is set by the payment system only/],
      ['an unknown status', { status: 'LOST' }, /^status must be one of SHIPPED, DELIVERED, CANCELLED/],
      [
        'a cancellation without a reason',
        { status: 'CANCELLED' },
        /^reason must be a string of 1-500 characters \(required to cancel\)$/,
      ],
      ['a carrier too long', { status: 'SHIPPED', carrier: 'x'.repeat(101) }, /^carrier must be at most 100/],
      ['a field of no route', { status: 'SHIPPED', colour: 'red' }, /colour/],
      ['a NUL in a field', { status: 'CANCELLED', reason: 'a\u0000b' }, /^reason must not contain control characters/],
    ])('answers 400 naming the field for %s', async (_, body, message) => {
      const order = await placeOrder();
      const answer = await api.put<ErrorBody>(`/orders/${order.orderId}/status`, body);
      expect(answer.status).toBe(400);
      expect(answer.body.message).toMatch(message);
    });

    it('answers 404, 400, 401, 415, 412 and 413 as the contract says, changing nothing', async () => {
      const order = await placeOrder();
      const path = `/orders/${order.orderId}/status`;
      expect((await api.put(`/orders/${randomUUID()}/status`, { status: 'SHIPPED' })).status).toBe(404);
      expect((await api.put('/orders/not-a-uuid/status', { status: 'SHIPPED' })).status).toBe(400);
      expect((await api.put(path, { status: 'SHIPPED' }, { 'X-API-Key': 'wrong-key-0123456789' })).status).toBe(401);
      expect((await api.put(path, 'status=SHIPPED', { 'content-type': 'text/plain' })).status).toBe(415);
      expect((await api.put(path, { status: 'CANCELLED', reason: 'x' }, { 'If-Match': '"7"' })).status).toBe(412);
      expect((await api.put(path, { status: 'CANCELLED', reason: 'x' }, { 'If-Match': 'seven' })).status).toBe(400);
      expect((await api.put(path, { status: 'CANCELLED', reason: 'x'.repeat(20_000) })).status).toBe(413);
      expect((await api.get<OrderBody>(`/orders/${order.orderId}`)).body).toMatchObject({
        status: 'CALCULATED',
        version: 1,
      });
    });

    it('lets exactly one of a shipment and a cancellation sent at once win, with one event', async () => {
      const orders = await Promise.all(Array.from({ length: 8 }, () => paidOrder()));

      const answers = await Promise.all(
        orders.map((order) =>
          Promise.all([
            api.put<OrderBody>(`/orders/${order.orderId}/status`, { status: 'SHIPPED' }),
            api.put<OrderBody>(`/orders/${order.orderId}/status`, { status: 'CANCELLED', reason: 'race' }),
          ]),
        ),
      );

      for (const [index, pair] of answers.entries()) {
        expect(pair.map((answer: ApiAnswer<OrderBody>) => answer.status).sort()).toEqual([200, 409]);
        const winner = pair.find((answer) => answer.status === 200)!.body;
        const history = await api.get<HistoryBody>(`/orders/${orders[index].orderId}/history`);
        expect(history.body.entries.map((entry) => entry.status)).toEqual(['CALCULATED', 'PAID', winner.status]);
      }
      await sleep(500);
      for (const order of orders) expect(eventsOf(order.orderId)).toHaveLength(2);
    });
  });

  describe("every change from every status, as in the contract's table", () => {
    /** An order brought to `status` through the public interfaces only. */
    async function orderIn(status: string): Promise<OrderBody> {
      const order = await placeOrder();
      const path = `/orders/${order.orderId}/status`;
      if (status === 'CALCULATED') return order;
      if (status === 'PAYMENT_FAILED') {
        await broker.publishPayment('rejected', rejection(order));
        return statusOf(order.orderId, status);
      }
      if (status === 'CANCELLED') {
        await api.put(path, CANCEL);
        return statusOf(order.orderId, status);
      }
      await broker.publishPayment('confirmed', confirmation(order));
      await statusOf(order.orderId, 'PAID');
      if (status === 'SHIPPED' || status === 'DELIVERED') await api.put(path, { status: 'SHIPPED' });
      if (status === 'DELIVERED') await api.put(path, { status: 'DELIVERED' });
      return statusOf(order.orderId, status);
    }

    const CANCEL = { status: 'CANCELLED', reason: 'table' };

    // The REST columns of the table: the status after the change, or 409 when refused.
    it.each([
      ['CALCULATED', 409, 409, 'CANCELLED'],
      ['PAYMENT_FAILED', 409, 409, 'CANCELLED'],
      ['PAID', 'SHIPPED', 409, 'CANCELLED'],
      ['SHIPPED', 'SHIPPED', 'DELIVERED', 409],
      ['DELIVERED', 409, 'DELIVERED', 409],
      ['CANCELLED', 409, 409, 'CANCELLED'],
    ])('an order %s: shipped → %s, delivered → %s, cancelled → %s', async (status, ship, deliver, cancel) => {
      for (const [body, expected] of [
        [{ status: 'SHIPPED' }, ship],
        [{ status: 'DELIVERED' }, deliver],
        [CANCEL, cancel],
      ] as const) {
        const order = await orderIn(status);
        const answer = await api.put<OrderBody & ErrorBody>(`/orders/${order.orderId}/status`, body);
        if (expected === 409) {
          expect([answer.status, answer.body.message], JSON.stringify(body)).toEqual([
            409,
            expect.stringContaining(`: it is ${status}.`),
          ]);
        } else {
          expect([answer.status, answer.body.status], JSON.stringify(body)).toEqual([200, expected]);
        }
      }
    });

    // The AMQP columns: the status after the payment, or its dead-letter reason.
    it.each([
      ['CALCULATED', 'PAID', 'PAYMENT_FAILED'],
      ['PAYMENT_FAILED', 'PAID', 'PAYMENT_FAILED'],
      ['PAID', 'invalid-transition', 'PAID'],
      ['SHIPPED', 'invalid-transition', 'SHIPPED'],
      ['DELIVERED', 'invalid-transition', 'DELIVERED'],
      ['CANCELLED', 'invalid-transition', 'CANCELLED'],
    ])('an order %s: a payment confirmed → %s, rejected → %s', async (status, confirmed, rejected) => {
      const forConfirmation = await orderIn(status);
      const forRejection = await orderIn(status);
      const messageId = `table-${forConfirmation.orderId}`;
      await broker.publishPayment('confirmed', confirmation(forConfirmation), { messageId });
      await broker.publishPayment('rejected', rejection(forRejection));

      if (confirmed === 'invalid-transition') {
        expect(reasonOf(await deadLettered(messageId)).reason).toBe(confirmed);
        expect((await api.get<OrderBody>(`/orders/${forConfirmation.orderId}`)).body.status).toBe(status);
      } else {
        await statusOf(forConfirmation.orderId, confirmed);
      }
      await statusOf(forRejection.orderId, rejected);
      const versionBefore = forRejection.version;
      await sleep(300);
      const after = (await api.get<OrderBody>(`/orders/${forRejection.orderId}`)).body;
      expect(after.version).toBe(rejected === status ? versionBefore : versionBefore + 1);
    });
  });

  it('lists and counts every status', async () => {
    const order = await placeOrder();
    await api.put(`/orders/${order.orderId}/status`, { status: 'CANCELLED', reason: 'counted' });

    const listed = await api.get<{ data: OrderBody[] }>('/orders?status=CANCELLED&limit=500');
    expect(listed.body.data.map((found) => found.orderId)).toContain(order.orderId);
    const stats = await api.get<{ countsByStatus: Record<string, number> }>('/orders/stats');
    expect(Object.keys(stats.body.countsByStatus).sort()).toEqual(
      ['CALCULATED', 'CANCELLED', 'DELIVERED', 'PAID', 'PAYMENT_FAILED', 'RECEIVED', 'SHIPPED'].sort(),
    );
    expect(stats.body.countsByStatus.CANCELLED).toBeGreaterThanOrEqual(1);
  });

  it('holds every event it published only once, each already visible when it arrived', async () => {
    await sleep(500);
    expect(events.repeats).toHaveLength(0);
    for (const { message } of events.handled.values()) {
      const seen = seenOnReceipt.get(message.eventId)!;
      expect(seen.version).toBeGreaterThanOrEqual(message.version);
    }
  });
});
