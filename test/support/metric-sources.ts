import type { MetricSources } from '../../apps/order-service/src/observability/order-service.metrics.js';

/** The scrape-time sources of a service with nothing pending, nothing queued and ready. */
export const idleMetricSources: MetricSources = {
  outboxBacklog: () => Promise.resolve({ pending: 0, oldestAgeSeconds: 0 }),
  queueDepths: () => Promise.resolve({ inbound: 0, deadLetter: 0, paymentsDeadLetter: 0 }),
  ready: () => Promise.resolve(true),
  inboundPrefetch: 1000,
};
