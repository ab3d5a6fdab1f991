import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anItem, anOrderMessage, type OrderMessage } from '../fixtures/order.mother.js';
import { canonicalJson } from '../../apps/openapi-writer/src/canonical-json.js';
import { loadAsyncApi } from '../support/asyncapi-document.js';
import { committedOpenApiText } from '../support/openapi-document.js';
import { type ApiAnswer, OrderApi } from '../support/order-api.js';
import { serviceEnvironment, TEST_API_KEY } from '../support/order-service.env.js';
import { type OrderCalculatedMessage, ProductBConsumer } from '../support/product-b-consumer.js';
import { closeBrokerConnections } from '../support/rabbitmqctl.js';
import { ServiceProcess } from '../support/service-process.js';
import { eventually, TestBroker } from '../support/test-broker.js';
import { TestDatabase } from '../support/test-database.js';

interface OrderBody {
  orderId: string;
  externalId: string;
  status: string;
  total: string | null;
  receivedAt: string;
  [field: string]: unknown;
}

interface PageBody {
  data: OrderBody[];
  nextCursor: string | null;
}

interface ErrorBody {
  statusCode: number;
  message: string;
}

/** Valid orders in several currencies, each priced within its currency's decimal places. */
const PRICED_IN = [
  { currency: 'BRL', unitPrice: '19.90' },
  { currency: 'JPY', unitPrice: '1500' },
  { currency: 'KWD', unitPrice: '0.125' },
  { currency: 'USD', unitPrice: 5.5 },
];
const mixedOrder = (index: number, overrides: Partial<OrderMessage> = {}) => {
  const { currency, unitPrice } = PRICED_IN[index % PRICED_IN.length];
  return anOrderMessage({
    currency,
    items: [anItem({ unitPrice, quantity: 1 + (index % 3) }), anItem({ productId: 'P-9', unitPrice, quantity: 2 })],
    ...overrides,
  });
};

describe('product B: OrderCalculated on its queue, the orders over REST, the probes', () => {
  let database: TestDatabase;
  let broker: TestBroker;
  let service: ServiceProcess;
  let serviceName: string;
  let api: OrderApi;

  const calculated = (externalId: string) =>
    eventually(async () => {
      const answer = await api.get<PageBody>(`/orders?externalId=${externalId}`);
      return answer.body.data.find((order) => order.status === 'CALCULATED');
    });

  beforeAll(async () => {
    database = await TestDatabase.create();
    broker = await TestBroker.connect();
    const environment = serviceEnvironment(database.url, broker.names);
    serviceName = environment.SERVICE_NAME;
    service = await ServiceProcess.start(environment);
    api = new OrderApi(service.baseUrl);
  });

  afterAll(async () => {
    if (process.env.E2E_SHOW_LOGS) console.log(service?.logs);
    await service?.stop();
    await broker?.deleteAll();
    await broker?.close();
    await database?.drop();
  });

  it('receives one OrderCalculated per order, and GET /orders/{id} already answers it CALCULATED with the same total', async () => {
    const answers = new Map<string, ApiAnswer<OrderBody>>();
    const consumer = await ProductBConsumer.start(broker.names.EVENTS_QUEUE, async (message) => {
      answers.set(message.eventId, await api.get<OrderBody>(`/orders/${message.orderId}`));
    });
    try {
      const orders = Array.from({ length: 40 }, (_, index) => mixedOrder(index));
      for (const [index, order] of orders.entries()) {
        await broker.publish(order, { correlationId: `corr-b-${index}` });
      }
      for (const order of orders.slice(0, 10)) await broker.publish(order); // duplicates: no new event
      await eventually(() => (consumer.handled.size >= orders.length ? true : undefined), 30_000, 'all events');
      await sleep(500);

      expect(consumer.handled.size).toBe(orders.length);
      expect(consumer.deliveries).toBe(orders.length);
      expect(new Set([...consumer.handled.values()].map(({ message }) => message.externalId))).toEqual(
        new Set(orders.map((order) => order.externalId)),
      );
      const documented = (await loadAsyncApi()).payloadValidator('OrderCalculated');
      for (const { message, delivery } of consumer.handled.values()) {
        expect(documented(message), `docs/asyncapi.yaml: ${JSON.stringify(documented.errors)}`).toBe(true);
        expect(delivery.properties).toMatchObject({
          messageId: message.eventId,
          type: 'OrderCalculated',
          contentType: 'application/json',
          deliveryMode: 2,
          correlationId: `corr-b-${orders.findIndex((order) => order.externalId === message.externalId)}`,
        });
        const answer = answers.get(message.eventId)!;
        expect(answer.status).toBe(200);
        const { eventId, eventType, occurredAt, ...orderFields } = message;
        expect([eventId, eventType, occurredAt].every(Boolean)).toBe(true);
        expect(answer.body).toEqual({
          ...orderFields,
          receivedAt: expect.any(String),
          calculatedAt: occurredAt,
          paidAt: null,
          shippedAt: null,
          deliveredAt: null,
          cancelledAt: null,
          updatedAt: occurredAt,
          version: 1,
        });
      }
    } finally {
      await consumer.stop();
    }
  });

  it('walks every order of a filter exactly once with the cursor, newest first, while new orders arrive', async () => {
    const customerId = `C-page-${crypto.randomUUID().slice(0, 8)}`;
    const before = Array.from({ length: 45 }, (_, index) => mixedOrder(index, { customerId }));
    for (const order of before) await broker.publish(order);
    await eventually(async () => {
      const answer = await api.get<PageBody>(`/orders?customerId=${customerId}&limit=500`);
      return answer.body.data.length === before.length ? true : undefined;
    });

    const walked: OrderBody[] = [];
    let cursor: string | null = null;
    let arriving = 0;
    do {
      const query: string = `/orders?customerId=${customerId}&limit=7${cursor ? `&cursor=${cursor}` : ''}`;
      const page: ApiAnswer<PageBody> = await api.get<PageBody>(query);
      expect(page.status).toBe(200);
      walked.push(...page.body.data);
      cursor = page.body.nextCursor;
      await broker.publish(mixedOrder(arriving++, { customerId }));
    } while (cursor);

    const externalIds = walked.map((order) => order.externalId);
    expect(new Set(externalIds).size).toBe(externalIds.length);
    expect(externalIds).toEqual(expect.arrayContaining(before.map((order) => order.externalId)));
    const receivedAt = walked.map((order) => order.receivedAt);
    expect(receivedAt).toEqual([...receivedAt].sort().reverse());
    // The orders that arrived during the walk are all there too, and no later test sees them arrive.
    await eventually(async () => {
      const answer = await api.get<PageBody>(`/orders?customerId=${customerId}&limit=500`);
      return answer.body.data.length === before.length + arriving ? true : undefined;
    });
  });

  it('counts per status and sums the totals per currency, exactly, over a received window', async () => {
    const from = new Date().toISOString();
    const orders = [
      anOrderMessage({ currency: 'BRL', items: [anItem({ unitPrice: '0.10', quantity: 3 })] }),
      anOrderMessage({ currency: 'BRL', items: [anItem({ unitPrice: '45.30', quantity: 1 })] }),
      anOrderMessage({ currency: 'JPY', items: [anItem({ unitPrice: '1500', quantity: 3 })] }),
    ];
    for (const order of orders) await broker.publish(order);
    for (const order of orders) await calculated(order.externalId);
    const to = new Date(Date.now() + 1).toISOString();

    const stats = await api.get(`/orders/stats?receivedFrom=${from}&receivedTo=${to}`);

    expect(stats).toMatchObject({
      status: 200,
      body: {
        receivedFrom: from,
        receivedTo: to,
        countsByStatus: { RECEIVED: 0, CALCULATED: 3 },
        totalsByCurrency: { BRL: '45.60', JPY: '4500' },
      },
    });
  });

  it('answers 401 without a key or with a wrong one, and nothing about orders', async () => {
    const order = mixedOrder(0);
    await broker.publish(order);
    const { orderId } = await calculated(order.externalId);

    for (const path of ['/orders', `/orders/${orderId}`, '/orders/stats']) {
      const anonymous = await api.anonymous<ErrorBody>(path);
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.message).toMatch(/API key/);
      expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(JSON.stringify(anonymous.body)).not.toContain(order.externalId);
      expect((await api.get(path, { 'X-API-Key': 'not-the-key-0123456789' })).status).toBe(401);
      expect((await api.get(path, { Authorization: 'Bearer not-the-key-0123456789' })).status).toBe(401);
      expect((await api.get(path, { Authorization: `Basic ${TEST_API_KEY}` })).status).toBe(401);
      expect((await api.get(path, { Authorization: `Bearer ${TEST_API_KEY}` })).status).toBe(200);
      expect((await api.get(path, { 'X-API-Key': TEST_API_KEY })).status).toBe(200);
    }
  });

  it.each([
    ['/orders/not-a-uuid', 'orderId'],
    ['/orders?limit=0', 'limit'],
    ['/orders?limit=501', 'limit'],
    ['/orders?limit=ten', 'limit'],
    ['/orders?status=LOST', 'status'],
    ['/orders?status=CALCULATED&status=RECEIVED', 'status'],
    ['/orders?externalId=has%20space', 'externalId'],
    ['/orders?receivedFrom=yesterday', 'receivedFrom'],
    ['/orders?receivedFrom=2026-11-22T00:00:00Z&receivedTo=2026-11-21T00:00:00Z', 'receivedFrom'],
    ['/orders?cursor=bm90LWEtY3Vyc29y', 'cursor'],
    ['/orders?customerid=C-42', 'customerid'],
    ['/orders/stats?receivedTo=31/12/2026', 'receivedTo'],
  ])('answers %s with 400 naming %s', async (path, parameter) => {
    const answer = await api.get<ErrorBody>(path);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ statusCode: 400, message: expect.stringContaining(parameter) });
  });

  it('answers 404 for an order id it does not know', async () => {
    const unknown = crypto.randomUUID();
    const answer = await api.get<ErrorBody>(`/orders/${unknown}`);
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ statusCode: 404, message: expect.stringContaining(unknown) });
  });

  it('leaves the probes, the metrics and the OpenAPI document open, and counts what it did', async () => {
    expect((await api.anonymous('/health/live')).status).toBe(200);
    expect((await api.anonymous('/health/ready')).status).toBe(200);
    const docs = await api.anonymous<string>('/docs');
    expect(docs.status).toBe(200);
    const document = await api.anonymous<{ paths: Record<string, unknown> }>('/docs/json');
    expect(Object.keys(document.body.paths)).toEqual(
      expect.arrayContaining(['/orders', '/orders/{orderId}', '/orders/stats', '/health/ready']),
    );
    expect(canonicalJson(document.body), 'docs/openapi.json differs from what the service serves: npm run docs').toBe(
      committedOpenApiText(),
    );
    const metrics = await api.anonymous<string>('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(/^orders_received_total [1-9]\d*$/m);
    expect(metrics.body).toMatch(/^orders_duplicates_total [1-9]\d*$/m);
    expect(metrics.body).toMatch(/^order_events_published_total [1-9]\d*$/m);
    expect(metrics.body).toMatch(/^order_receive_to_publish_seconds_count [1-9]\d*$/m);
    expect(metrics.body).toMatch(/^outbox_backlog_messages \d+$/m);
    expect(metrics.body).toMatch(/^outbox_oldest_pending_age_seconds [\d.]+$/m);
  });

  it('turns not ready when the broker drops its connections, then ready again by itself, consuming again', async () => {
    const ready = () => api.anonymous<{ details: Record<string, unknown> }>('/health/ready');
    expect((await ready()).status).toBe(200);
    const pid = service.pid;

    // rabbitmqctl takes seconds on a busy machine and the publisher reconnects within one: the probe
    // is watched while the connections are being closed, not after.
    const [closed, notReady] = await Promise.all([
      closeBrokerConnections(serviceName),
      eventually(async () => {
        const answer = await ready();
        return answer.status === 503 ? answer : undefined;
      }, 60_000),
    ]);
    expect(closed).toBeGreaterThanOrEqual(1);
    expect(notReady.body.details).toMatchObject({ broker: { status: 'down' }, database: { status: 'up' } });
    expect((await api.anonymous('/health/live')).status).toBe(200);
    await eventually(async () => ((await ready()).status === 200 ? true : undefined), 30_000, 'ready again');

    const order = mixedOrder(1);
    await broker.publish(order);
    expect((await calculated(order.externalId)).total).not.toBeNull();
    const published = await eventually(async () => {
      const messages = await broker.drain(broker.names.EVENTS_QUEUE);
      return messages
        .map((message) => JSON.parse(message.content.toString()) as OrderCalculatedMessage)
        .find((message) => message.externalId === order.externalId);
    });
    expect(published.status).toBe('CALCULATED');
    expect(service.pid).toBe(pid);
    expect(service.logs).toContain('re-attaching');
  });
});
