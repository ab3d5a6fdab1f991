import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { RecentResult } from './recent-result.js';

/** How long one read of the database or the broker serves every scrape. */
const DEPENDENCY_READ_CACHE_MS = 1_000;
import { ORDER_REJECTION_REASONS, PAYMENT_REJECTION_REASONS } from '../messaging/rejection.js';
import { buildInfo } from './build-info.js';

/** What the outbox holds that is not yet published, read when Prometheus scrapes. */
export interface OutboxBacklog {
  readonly pending: number;
  readonly oldestAgeSeconds: number;
}

/** Messages waiting in the broker's queues, as the broker counts them. */
export interface QueueDepths {
  readonly inbound: number;
  readonly deadLetter: number;
  readonly paymentsDeadLetter: number;
}

/** What the gauges read when Prometheus scrapes; each read may fail (the gauges then read NaN). */
export interface MetricSources {
  readonly outboxBacklog: () => Promise<OutboxBacklog>;
  readonly queueDepths: () => Promise<QueueDepths>;
  /** The readiness probe's answer: database, broker and consumer. */
  readonly ready: () => Promise<boolean>;
  readonly inboundPrefetch: number;
}

/**
 * The service's Prometheus metrics, in a registry of its own (tests build several apps in one
 * process). Counters move only after the effect they count is committed or confirmed. Every label
 * value comes from a fixed set (reasons, route templates, status codes): no ids, no raw paths.
 */
export class OrderServiceMetrics {
  readonly registry = new Registry();

  readonly ordersReceived = new Counter({
    name: 'orders_received_total',
    help: 'Orders accepted as new and stored.',
    registers: [this.registry],
  });

  readonly ordersDuplicate = new Counter({
    name: 'orders_duplicates_total',
    help: 'Deliveries of an already known order with the same content; acknowledged, no effect.',
    registers: [this.registry],
  });

  readonly ordersRejected = new Counter<'reason'>({
    name: 'orders_rejected_total',
    help: 'Deliveries dead-lettered, by x-rejection-reason.',
    labelNames: ['reason'],
    registers: [this.registry],
  });

  readonly paymentsReceived = new Counter<'outcome'>({
    name: 'payments_received_total',
    help: 'Payment messages acted on, by outcome: the order changed, had already made the change, or a duplicate.',
    labelNames: ['outcome'],
    registers: [this.registry],
  });

  readonly paymentsRejected = new Counter<'reason'>({
    name: 'payments_rejected_total',
    help: 'Payment messages dead-lettered, by x-rejection-reason.',
    labelNames: ['reason'],
    registers: [this.registry],
  });

  readonly ordersCalculated = new Counter({
    name: 'orders_calculated_total',
    help: 'Orders calculated (in the same transaction that stored them).',
    registers: [this.registry],
  });

  readonly eventsPublished = new Counter({
    name: 'order_events_published_total',
    help: 'Event messages (OrderCalculated and the status changes) confirmed by the broker and routed to a queue.',
    registers: [this.registry],
  });

  readonly eventPublishFailures = new Counter<'reason'>({
    name: 'order_events_publish_failures_total',
    help: 'Event publishes that must be retried: unroutable (no bound queue), blocked (broker flow control; left to the sweep) or error.',
    labelNames: ['reason'],
    registers: [this.registry],
  });

  readonly receiveToPublish = new Histogram({
    name: 'order_receive_to_publish_seconds',
    help: "From an event's transaction (an order's calculation, a status change) to the broker's confirm of its message.",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [this.registry],
  });

  readonly deliveriesInHand = new Gauge({
    name: 'inbound_deliveries_in_hand',
    help: 'Inbound deliveries taken from the queue and not yet settled (at most inbound_prefetch_limit).',
    registers: [this.registry],
  });

  readonly intakeBatchSize = new Histogram({
    name: 'order_intake_batch_size',
    help: 'Deliveries per intake transaction.',
    buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
    registers: [this.registry],
  });

  readonly paymentBatchSize = new Histogram({
    name: 'payment_batch_size',
    help: 'Payment messages per transaction.',
    buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
    registers: [this.registry],
  });

  readonly httpRequestDuration = new Histogram<'method' | 'route' | 'status_code'>({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests served, by method, route template and status code; from the request to the reply sent.',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  constructor(sources: MetricSources) {
    collectDefaultMetrics({ register: this.registry });
    // Every reason is exported from the start, at zero, so a rate() over it never starts from nothing.
    ORDER_REJECTION_REASONS.forEach((reason) => this.ordersRejected.inc({ reason }, 0));
    PAYMENT_REJECTION_REASONS.forEach((reason) => this.paymentsRejected.inc({ reason }, 0));
    ['changed', 'unchanged', 'duplicate'].forEach((outcome) => this.paymentsReceived.inc({ outcome }, 0));
    ['unroutable', 'blocked', 'error'].forEach((reason) => this.eventPublishFailures.inc({ reason }, 0));
    const backlog = sharedRead(sources.outboxBacklog, { pending: Number.NaN, oldestAgeSeconds: Number.NaN });
    const depths = sharedRead(sources.queueDepths, {
      inbound: Number.NaN,
      deadLetter: Number.NaN,
      paymentsDeadLetter: Number.NaN,
    });
    const ready = sharedRead(sources.ready, false);
    const gauges: [name: string, help: string, read: () => Promise<number>][] = [
      [
        'outbox_backlog_messages',
        'Event messages committed but not yet published.',
        async () => (await backlog()).pending,
      ],
      [
        'outbox_oldest_pending_age_seconds',
        'Age of the oldest unpublished event message; 0 when none is pending.',
        async () => (await backlog()).oldestAgeSeconds,
      ],
      [
        'inbound_queue_messages',
        "Messages ready in the inbound queue, as the broker counts them (the same for every replica's scrape).",
        async () => (await depths()).inbound,
      ],
      [
        'dead_letter_queue_messages',
        'Messages in the dead-letter queue, as the broker counts them; orders_rejected_total says why.',
        async () => (await depths()).deadLetter,
      ],
      [
        'payments_dead_letter_queue_messages',
        'Messages in the payments dead-letter queue, as the broker counts them; payments_rejected_total says why they came.',
        async () => (await depths()).paymentsDeadLetter,
      ],
      [
        'order_service_ready',
        '1 when the readiness probe would answer 200 (database, broker, consumer attached), else 0.',
        async () => ((await ready()) ? 1 : 0),
      ],
    ];
    for (const [name, help, read] of gauges) {
      new Gauge({
        name,
        help,
        registers: [this.registry],
        async collect() {
          this.set(await read());
        },
      });
    }
    new Gauge({
      name: 'inbound_prefetch_limit',
      help: 'Unacknowledged orders the consumer may hold (INBOUND_PREFETCH, as fitted to INBOUND_MAX_BYTES_IN_HAND).',
      registers: [this.registry],
    }).set(sources.inboundPrefetch);
    new Gauge<'version' | 'node_version'>({
      name: 'order_service_build_info',
      help: 'Always 1; the labels name the running build.',
      labelNames: ['version', 'node_version'],
      registers: [this.registry],
    }).set(buildInfo(), 1);
  }
}

/**
 * One read of a dependency shared by every gauge and every scrape for a second, so a flood of
 * scrapes costs one pooled connection; counters stay live. While the dependency is down the gauges
 * read NaN instead of failing the whole scrape.
 */
function sharedRead<T>(read: () => Promise<T>, unavailable: T): () => Promise<T> {
  const recent = new RecentResult(() => read().catch(() => unavailable), DEPENDENCY_READ_CACHE_MS);
  return () => recent.get();
}
