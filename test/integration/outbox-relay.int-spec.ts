import { randomUUID } from 'node:crypto';
import amqp, { type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderServiceMetrics } from '../../apps/order-service/src/observability/order-service.metrics.js';
import {
  declareTopology,
  eventRoutingKeysOf,
  topologyOf,
} from '../../apps/order-service/src/outbound/amqp/amqp-topology.js';
import { AmqpPublisher } from '../../apps/order-service/src/outbound/amqp/amqp-publisher.js';
import { AmqpOrderEventsPublisher } from '../../apps/order-service/src/outbound/outbox/amqp/amqp-order-events.publisher.js';
import { OutboxRelaySettings } from '../../apps/order-service/src/outbound/outbox/outbox-relay.settings.js';
import { OutboxRelay } from '../../apps/order-service/src/outbound/outbox/outbox.relay.js';
import { PostgresOutboxStore } from '../../apps/order-service/src/outbound/outbox/postgres/postgres-outbox.store.js';
import {
  type CommittedOutboxMessage,
  OutboxSignal,
} from '../../apps/order-service/src/outbound/outbox/outbox.signal.js';
import { idleMetricSources } from '../support/metric-sources.js';
import { RABBITMQ_URL, TestBroker } from '../support/test-broker.js';
import { TestDatabase } from '../support/test-database.js';

interface OutboxRow {
  event_id: string;
  published_at: Date | null;
  attempts: number;
  last_error: string | null;
}

describe('OutboxRelay against a real Postgres and RabbitMQ', () => {
  let database: TestDatabase;
  let broker: TestBroker;
  let publisher: AmqpPublisher;
  let metrics: OrderServiceMetrics;

  const relayTo = (
    exchange: string,
    batchSize = 50,
    sweepAfterMs = 0,
    signal = new OutboxSignal(),
    publishing: (settings: OutboxRelaySettings) => AmqpOrderEventsPublisher = (settings) =>
      new AmqpOrderEventsPublisher(publisher, settings),
  ) => {
    const settings = new OutboxRelaySettings({
      exchange,
      routingKeys: eventRoutingKeysOf(broker.names),
      batchSize,
      pollIntervalMs: 50,
      sweepAfterMs,
      retentionHours: 24,
      retryBaseDelayMs: 10,
      retryMaxDelayMs: 100,
    });
    return new OutboxRelay(
      new PostgresOutboxStore(database.dataSource),
      publishing(settings),
      signal,
      settings,
      metrics,
    );
  };

  /** Rows as the outbox adapter writes them: the payload is the exact text to publish. */
  const committedEvents = (count: number, age = '0 s'): Promise<CommittedOutboxMessage[]> =>
    database.query<CommittedOutboxMessage>(
      `INSERT INTO outbox (event_id, event_type, aggregate_id, correlation_id, payload, occurred_at)
       SELECT id, 'OrderCalculated', gen_random_uuid(), 'corr-' || id, json_build_object('eventId', id),
              now() - $2::interval
       FROM unnest($1::uuid[]) AS id
       RETURNING id, event_id AS "eventId", event_type AS "eventType", correlation_id AS "correlationId",
                 payload::text AS payload, occurred_at AS "occurredAt", trace_context AS "traceContext"`,
      [Array.from({ length: count }, () => randomUUID()), age],
    );
  const pendingEvents = async (count: number, age?: string): Promise<string[]> =>
    (await committedEvents(count, age)).map(({ eventId }) => eventId);
  const rowsOf = (ids: string[]) =>
    database.query<OutboxRow>(
      'SELECT event_id, published_at, attempts, last_error FROM outbox WHERE event_id = ANY($1::uuid[])',
      [ids],
    );

  /** Starts the relay, hands `committed` over as a commit would, and stops it once all are marked published. */
  const handOverUntilPublished = async (
    relay: OutboxRelay,
    signal: OutboxSignal,
    committed: CommittedOutboxMessage[],
  ) => {
    relay.onApplicationBootstrap();
    try {
      signal.committed(committed);
      await expect
        .poll(async () => (await rowsOf(committed.map(({ eventId }) => eventId))).filter((row) => row.published_at))
        .toHaveLength(committed.length);
    } finally {
      await relay.drainAndStop(10_000);
    }
  };

  beforeAll(async () => {
    database = await TestDatabase.create();
    broker = await TestBroker.connect();
    await declareTopology(RABBITMQ_URL, topologyOf(broker.names));
    publisher = new AmqpPublisher(RABBITMQ_URL, 'outbox-relay-test');
    metrics = new OrderServiceMetrics(idleMetricSources);
  });

  afterAll(async () => {
    await publisher?.onApplicationShutdown();
    await broker?.deleteAll();
    await broker?.close();
    await database?.drop();
  });

  it('publishes the stored bytes with the contract properties, then marks the rows published', async () => {
    const ids = await pendingEvents(3);
    await relayTo(broker.names.EVENTS_EXCHANGE).relayBatch();

    const messages = await broker.drain(broker.names.EVENTS_QUEUE);
    expect(messages.map((message) => JSON.parse(message.content.toString()) as unknown)).toEqual(
      ids.map((eventId) => ({ eventId })),
    );
    for (const [index, message] of messages.entries()) {
      expect(message.properties).toMatchObject({
        messageId: ids[index],
        type: 'OrderCalculated',
        contentType: 'application/json',
        deliveryMode: 2,
        correlationId: `corr-${ids[index]}`,
      });
    }
    expect((await rowsOf(ids)).every((row) => row.published_at !== null)).toBe(true);
  });

  it('keeps a message that no queue takes (mandatory return) unpublished, and says why', async () => {
    const unboundExchange = `${broker.names.EVENTS_EXCHANGE}.unbound`;
    const connection: ChannelModel = await amqp.connect(RABBITMQ_URL);
    const channel = await connection.createChannel();
    // autoDelete would never fire: it waits for a last binding to go, and this exchange never has one.
    await channel.assertExchange(unboundExchange, 'topic', { durable: false });
    try {
      const ids = await pendingEvents(2);
      const result = await relayTo(unboundExchange).relayBatch();

      expect(result.failed).toBeGreaterThanOrEqual(2);
      const rows = await rowsOf(ids);
      expect(rows.map((row) => row.published_at)).toEqual([null, null]);
      expect(rows.every((row) => row.attempts === 1 && row.last_error?.startsWith('Unroutable'))).toBe(true);
    } finally {
      await database.query('DELETE FROM outbox WHERE published_at IS NULL');
      await channel.deleteExchange(unboundExchange);
      await connection.close();
    }
  });

  it('lets two relays drain one backlog together without publishing any row twice', async () => {
    const ids = await pendingEvents(400);
    const relays = [relayTo(broker.names.EVENTS_EXCHANGE, 25), relayTo(broker.names.EVENTS_EXCHANGE, 25)];
    const drain = async (relay: OutboxRelay) => {
      while ((await relay.relayBatch()).claimed > 0);
    };
    await Promise.all(relays.map(drain));

    const messages = await broker.drain(broker.names.EVENTS_QUEUE);
    const published = messages.map((message) => String(message.properties.messageId));
    expect(published).toHaveLength(400);
    expect(new Set(published)).toEqual(new Set(ids));
  });

  it('publishes the rows a commit hands over at once, without claiming them, and marks them published', async () => {
    const signal = new OutboxSignal();
    // The sweep would take nothing this young: whatever is published here came through the handover.
    const relay = relayTo(broker.names.EVENTS_EXCHANGE, 50, 60_000, signal);
    const committed = await committedEvents(3);
    await handOverUntilPublished(relay, signal, committed);

    const messages = await broker.drain(broker.names.EVENTS_QUEUE);
    expect(messages.map((message) => message.content.toString())).toEqual(committed.map(({ payload }) => payload));
    expect(messages.map((message) => String(message.properties.messageId))).toEqual(
      committed.map(({ eventId }) => eventId),
    );
  });

  it('sweeps only rows older than sweepAfterMs: the younger ones are left to the process that committed them', async () => {
    const young = await pendingEvents(2);
    const old = await pendingEvents(2, '2 minutes');
    try {
      const result = await relayTo(broker.names.EVENTS_EXCHANGE, 50, 60_000).relayBatch();

      expect(result.claimed).toBe(2);
      const published = (await broker.drain(broker.names.EVENTS_QUEUE)).map(({ properties }) =>
        String(properties.messageId),
      );
      expect(published).toEqual(old);
      expect((await rowsOf(young)).map((row) => row.published_at)).toEqual([null, null]);
    } finally {
      await database.query('DELETE FROM outbox WHERE published_at IS NULL');
    }
  });

  it('publishes again what a handed-over round could not, once the broker is back, before any sweep', async () => {
    const signal = new OutboxSignal();
    let outage = true;
    /** The broker away for the handover's first round; the publishes after it go through. */
    class FlakyPublisher extends AmqpOrderEventsPublisher {
      override async publishAll(messages: readonly CommittedOutboxMessage[]) {
        if (!outage) return super.publishAll(messages);
        outage = false;
        return { published: [], failed: messages, failure: { reason: 'error' as const, error: 'connection lost' } };
      }
    }
    // No sweep within the test: whatever is published comes from the handover's own retry.
    const relay = relayTo(
      broker.names.EVENTS_EXCHANGE,
      50,
      60_000,
      signal,
      (settings) => new FlakyPublisher(publisher, settings),
    );
    const committed = await committedEvents(3);
    await handOverUntilPublished(relay, signal, committed);

    const rows = await rowsOf(committed.map(({ eventId }) => eventId));
    expect(rows.map((row) => [row.attempts, row.last_error])).toEqual(Array(3).fill([1, 'connection lost']));
    const messages = await broker.drain(broker.names.EVENTS_QUEUE);
    expect(messages.map((message) => String(message.properties.messageId))).toEqual(
      committed.map(({ eventId }) => eventId),
    );
  });

  it('leaves the rows its own commits handed over to that publish, however long it takes: no second copy', async () => {
    const signal = new OutboxSignal();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    /** Holds the handover's publish; the sweep's own publishes go straight through. */
    class SlowPublisher extends AmqpOrderEventsPublisher {
      override async publishAll(messages: readonly CommittedOutboxMessage[]) {
        if (messages.some(({ eventId }) => handed.has(eventId))) await held;
        return super.publishAll(messages);
      }
    }
    const committed = await committedEvents(3, '2 minutes');
    const handed = new Set(committed.map(({ eventId }) => eventId));
    // Old enough for the sweep, which runs every 50 ms while the handover's publish is held.
    const relay = relayTo(
      broker.names.EVENTS_EXCHANGE,
      50,
      1_000,
      signal,
      (settings) => new SlowPublisher(publisher, settings),
    );
    relay.onApplicationBootstrap();
    signal.committed(committed);
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      release();
      await expect.poll(async () => (await rowsOf([...handed])).filter((row) => row.published_at)).toHaveLength(3);
    } finally {
      await relay.drainAndStop(10_000);
    }

    const messages = await broker.drain(broker.names.EVENTS_QUEUE);
    expect(messages.map((message) => String(message.properties.messageId)).sort()).toEqual([...handed].sort());
  });
});
