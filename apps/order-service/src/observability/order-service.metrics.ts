import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { REJECTION_REASONS } from '../messaging/rejection.js';

/** What the outbox holds that is not yet published, read when Prometheus scrapes. */
export interface OutboxBacklog {
  readonly pending: number;
  readonly oldestAgeSeconds: number;
}

/**
 * The service's Prometheus metrics, in a registry of its own (tests build several apps in one
 * process). Counters move only after the effect they count is committed or confirmed.
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

  readonly ordersCalculated = new Counter({
    name: 'orders_calculated_total',
    help: 'Orders calculated (in the same transaction that stored them).',
    registers: [this.registry],
  });

  readonly eventsPublished = new Counter({
    name: 'order_events_published_total',
    help: 'OrderCalculated messages confirmed by the broker and routed to a queue.',
    registers: [this.registry],
  });

  readonly eventPublishFailures = new Counter<'reason'>({
    name: 'order_events_publish_failures_total',
    help: 'OrderCalculated publishes that must be retried: unroutable (no bound queue), blocked (broker flow control; left to the sweep) or error.',
    labelNames: ['reason'],
    registers: [this.registry],
  });

  readonly receiveToPublish = new Histogram({
    name: 'order_receive_to_publish_seconds',
    help: "From the order's calculation (the transaction that received it) to the broker's confirm of its OrderCalculated.",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [this.registry],
  });

  constructor(readOutboxBacklog: () => Promise<OutboxBacklog>) {
    collectDefaultMetrics({ register: this.registry });
    // Every reason is exported from the start, at zero, so a rate() over it never starts from nothing.
    REJECTION_REASONS.forEach((reason) => this.ordersRejected.inc({ reason }, 0));
    ['unroutable', 'blocked', 'error'].forEach((reason) => this.eventPublishFailures.inc({ reason }, 0));
    let backlog: Promise<OutboxBacklog> | null = null;
    // Both gauges come from one query per scrape.
    // While the database is down the gauges read NaN instead of failing the whole scrape.
    const current = () =>
      (backlog ??= readOutboxBacklog()
        .catch(() => ({ pending: Number.NaN, oldestAgeSeconds: Number.NaN }))
        .finally(() => setImmediate(() => (backlog = null))));
    new Gauge({
      name: 'outbox_backlog_messages',
      help: 'OrderCalculated messages committed but not yet published.',
      registers: [this.registry],
      async collect() {
        this.set((await current()).pending);
      },
    });
    new Gauge({
      name: 'outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest unpublished OrderCalculated message; 0 when none is pending.',
      registers: [this.registry],
      async collect() {
        this.set((await current()).oldestAgeSeconds);
      },
    });
  }
}
