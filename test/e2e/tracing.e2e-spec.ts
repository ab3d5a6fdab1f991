import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfirmedPublisher, EventQueueConsumer, type ExampleTracing, startExampleTracing } from '@app/simulators';
import { anOrderMessage } from '../fixtures/order.mother.js';
import { OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver.js';
import { OrderApi } from '../support/order-api.js';
import { serviceEnvironment, TEST_API_KEY } from '../support/order-service.env.js';
import type { OrderCalculatedMessage } from '../support/product-b-consumer.js';
import { ServiceProcess } from '../support/service-process.js';
import { eventually, RABBITMQ_URL, TestBroker } from '../support/test-broker.js';
import { TestDatabase } from '../support/test-database.js';

/** Spans leave every process within 50 ms, to the receiver in this one, as JSON. */
const TRACING = {
  OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
  OTEL_BSP_SCHEDULE_DELAY: '50',
};

describe('traces: one order from product A to product B', () => {
  let receiver: OtlpReceiver;
  let examples: ExampleTracing;
  let database: TestDatabase;
  let broker: TestBroker;
  let service: ServiceProcess;
  let productA: ConfirmedPublisher;
  let productB: EventQueueConsumer<OrderCalculatedMessage>;
  const received: OrderCalculatedMessage[] = [];

  /** Products A and B run here: their spans come from this process, the service's from its own. */
  beforeAll(async () => {
    receiver = await OtlpReceiver.start();
    Object.assign(process.env, TRACING, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint });
    examples = await startExampleTracing('products');
    database = await TestDatabase.create();
    broker = await TestBroker.connect();
    service = await ServiceProcess.start(
      serviceEnvironment(database.url, broker.names, { ...TRACING, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint }),
    );
    const { INBOUND_EXCHANGE, EVENTS_QUEUE } = broker.names;
    productA = await ConfirmedPublisher.connect({ url: RABBITMQ_URL, exchange: INBOUND_EXCHANGE, connectionName: 'A' });
    productB = await EventQueueConsumer.start<OrderCalculatedMessage>(
      { url: RABBITMQ_URL, connectionName: 'B', queue: EVENTS_QUEUE, prefetch: 50 },
      (content) => JSON.parse(content.toString()) as OrderCalculatedMessage,
      (message) => Promise.resolve(void received.push(message)),
      (error) => {
        throw error;
      },
    );
  });

  afterAll(async () => {
    if (process.env.E2E_SHOW_LOGS) console.log(service?.logs);
    await productA?.close();
    await productB?.stop();
    await service?.stop();
    await examples?.shutdown();
    for (const name of Object.keys(TRACING).concat('OTEL_EXPORTER_OTLP_ENDPOINT')) delete process.env[name];
    await receiver?.close();
    await broker?.deleteAll();
    await broker?.close();
    await database?.drop();
  });

  const publishedBy = (messageId: string) =>
    eventually(
      () =>
        receiver.spans.find(
          (span) => span.name.startsWith('publish ') && span.attributes['messaging.message.id'] === messageId,
        ),
      20_000,
      `product A's publish span of ${messageId}`,
    );

  /** The span of `trace` named `name` whose parent is `parent`, once exported. */
  const childOf = (parent: ReceivedSpan, name: string) =>
    eventually(
      () => receiver.trace(parent.traceId).find((span) => span.name === name && span.parentSpanId === parent.spanId),
      20_000,
      `${name} under ${parent.name}`,
    );

  it('runs A publish → intake → transaction and commit → relay publish → B receipt in one trace', async () => {
    const order = anOrderMessage();
    const { INBOUND_ROUTING_KEY, EVENTS_QUEUE } = broker.names;
    await productA.confirmed(INBOUND_ROUTING_KEY, Buffer.from(JSON.stringify(order)), 'm-one');
    await eventually(() => received.find((message) => message.externalId === order.externalId));

    const publish = await publishedBy('m-one');
    expect(publish.service).toBe('products');
    const intake = await childOf(publish, `process ${INBOUND_ROUTING_KEY}`);
    expect(intake.service).toBe(service.name);
    await childOf(intake, 'decode');
    const transaction = await childOf(intake, 'intake transaction');
    expect(transaction.attributes['order_service.batch.size']).toBe(1);
    expect(transaction.links).toEqual([{ traceId: intake.traceId, spanId: intake.spanId }]);
    const commit = await childOf(transaction, 'commit');
    // The pg instrumentation's span of the statement that writes the transaction's rows.
    await eventually(() => receiver.trace(commit.traceId).find((span) => span.parentSpanId === commit.spanId));
    const useCase = await childOf(intake, 'ReceiveOrder');
    const relay = await childOf(useCase, 'publish OrderCalculated');
    expect(relay.attributes['order_service.publish.outcome']).toBe('routed');
    const receipt = await childOf(relay, `process ${EVENTS_QUEUE}`);
    expect(receipt.service).toBe('products');

    // The service's log lines of the order carry the trace's ids next to the correlation id.
    expect(service.logs).toContain(`"trace_id":"${publish.traceId}"`);
  });

  it("records a dead-lettered message's reason in its trace", async () => {
    await productA.confirmed(broker.names.INBOUND_ROUTING_KEY, Buffer.from('{"externalId": '), 'm-bad');
    const publish = await publishedBy('m-bad');
    const intake = await childOf(publish, `process ${broker.names.INBOUND_ROUTING_KEY}`);
    expect(intake.attributes['order_service.rejection.reason']).toBe('invalid-json');
    expect(intake.attributes['order_service.rejection.detail']).toEqual(expect.any(String));
    expect(intake.statusCode).toBe(2);
    expect(intake.statusMessage).toBe('dead-lettered: invalid-json');
  });

  it('links a shared transaction to every delivery in it, parented on none', async () => {
    const orders = Array.from({ length: 300 }, () => anOrderMessage());
    await Promise.all(
      orders.map((order, index) =>
        productA.confirmed(broker.names.INBOUND_ROUTING_KEY, Buffer.from(JSON.stringify(order)), `m-burst-${index}`),
      ),
    );
    await eventually(() => (received.length > orders.length ? true : undefined), 60_000, 'the burst at product B');
    const shared = await eventually(() =>
      receiver.spans.find(
        (span) => span.name === 'intake transaction' && Number(span.attributes['order_service.batch.size']) > 1,
      ),
    );
    expect(shared.parentSpanId).toBe('');
    expect(shared.links).toHaveLength(Number(shared.attributes['order_service.batch.size']));
    const intakes = new Set(
      receiver.spans.filter((span) => span.name.startsWith('process order')).map(({ spanId }) => spanId),
    );
    await eventually(() => (shared.links.every(({ spanId }) => intakes.has(spanId)) ? true : undefined));
  });

  it('carries a trace its sender did not sample through the outbox to product B, recording none of it', async () => {
    const order = anOrderMessage();
    const traceId = 'cc'.repeat(16);
    await broker.publish(order, { headers: { traceparent: `00-${traceId}-${'dd'.repeat(8)}-00` } });
    const message = await eventually(() => received.find(({ externalId }) => externalId === order.externalId));

    // What the relay sent product B as the message's traceparent: the same trace, still not sampled.
    const [row] = await database.query<{ trace_context: { traceparent: string } }>(
      `SELECT trace_context FROM outbox WHERE aggregate_id = $1 AND event_type = 'OrderCalculated'`,
      [message.orderId],
    );
    expect(row.trace_context.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-00$`));
    // Every process exports within 50 ms: a second later, nothing of that trace has come.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(receiver.trace(traceId)).toEqual([]);
  });

  it('names the REST handler in the trace of the request that calls it', async () => {
    const [message] = received;
    const traceId = 'aa'.repeat(16);
    const callerSpanId = 'bb'.repeat(8);
    await new OrderApi(service.baseUrl).get(`/orders/${message.orderId}`, {
      'X-API-Key': TEST_API_KEY,
      traceparent: `00-${traceId}-${callerSpanId}-01`,
    });
    const server = await eventually(() => receiver.trace(traceId).find((span) => span.parentSpanId === callerSpanId));
    expect(server.name).toBe('GET /orders/:orderId');
    await childOf(server, 'OrdersHttpController.get');
  });
});
