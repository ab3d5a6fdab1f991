import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anOrderMessage } from '../fixtures/order.mother.js';
import { OrderApi } from '../support/order-api.js';
import { serviceEnvironment } from '../support/order-service.env.js';
import { metricNamesIn, observabilityExpressions } from '../support/promql-metric-names.js';
import { ServiceProcess } from '../support/service-process.js';
import { tearDown } from '../support/tear-down.js';
import { eventually, TestBroker } from '../support/test-broker.js';
import { TestDatabase } from '../support/test-database.js';

interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

/** The samples of a Prometheus text exposition. */
function samplesOf(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [, name, labelText = '', value] = /^([\w:]+)(?:\{(.*)\})? (\S+)$/.exec(line) ?? [];
      const labels = Object.fromEntries(
        [...labelText.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => [k, v]),
      );
      return { name, labels, value: Number(value) };
    });
}

/** Names Prometheus itself adds to every target, not the service's to export. */
const PROMETHEUS_OWN = new Set(['up']);

describe('the metrics an operator reads: /metrics, the dashboard and the alert rules', () => {
  let database: TestDatabase;
  let broker: TestBroker;
  let service: ServiceProcess;
  let api: OrderApi;
  const scrape = async () => samplesOf((await api.anonymous<string>('/metrics')).body);
  const sample = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
    samples.find(
      (candidate) =>
        candidate.name === name && Object.entries(labels).every(([key, value]) => candidate.labels[key] === value),
    );

  beforeAll(async () => {
    database = await TestDatabase.create();
    broker = await TestBroker.connect();
    service = await ServiceProcess.start(serviceEnvironment(database.url, broker.names, { INBOUND_PREFETCH: '40' }));
    api = new OrderApi(service.baseUrl);
  });

  afterAll(() => tearDown({ services: [service], broker, database }));

  it('exports every metric that an alert rule or a dashboard panel names', async () => {
    // A labelled series exists once observed: the first scrape times itself for the second.
    await scrape();
    const exported = new Set((await scrape()).map(({ name }) => name));
    const missing = observabilityExpressions().flatMap(({ source, expression }) =>
      metricNamesIn(expression)
        .filter((name) => !exported.has(name) && !PROMETHEUS_OWN.has(name))
        .map((name) => `${source}: ${name}`),
    );
    expect(new Set(missing)).toEqual(new Set());
  });

  it('times REST requests by route template and status code, never by raw path', async () => {
    const orderId = crypto.randomUUID();
    expect((await api.get(`/orders/${orderId}`)).status).toBe(404);
    expect((await api.get('/orders?limit=1')).status).toBe(200);
    expect((await api.anonymous('/orders')).status).toBe(401);
    expect((await api.anonymous(`/wp-admin/${orderId}`)).status).toBe(404);

    const samples = await scrape();
    const count = (route: string, status_code: string) =>
      sample(samples, 'http_request_duration_seconds_count', { method: 'GET', route, status_code })?.value;
    expect(count('/orders/:orderId', '404')).toBe(1);
    expect(count('/orders', '200')).toBe(1);
    expect(count('/orders', '401')).toBe(1);
    expect(count('unmatched', '404')).toBe(1);
    const routes = new Set(
      samples.filter(({ name }) => name.startsWith('http_request_duration_seconds')).map(({ labels }) => labels.route),
    );
    expect([...routes].sort()).toEqual(['/metrics', '/orders', '/orders/:orderId', 'unmatched']);
    const text = (await api.anonymous<string>('/metrics')).body;
    expect(text).not.toContain(orderId);
    expect(text).not.toContain('wp-admin');
  });

  it('reports queues, the intake, readiness and the build, read when scraped', async () => {
    await broker.publish(anOrderMessage(), { contentType: 'application/json' });
    await broker.publish(Buffer.from('{ not json'));
    // Counters move at once; the gauges read from the broker and the database lag by up to a second.
    const samples = await eventually(async () => {
      const current = await scrape();
      return sample(current, 'orders_rejected_total', { reason: 'invalid-json' })?.value === 1 &&
        sample(current, 'order_events_published_total')?.value === 1 &&
        sample(current, 'outbox_backlog_messages')?.value === 0 &&
        sample(current, 'dead_letter_queue_messages')?.value === 1
        ? current
        : undefined;
    });

    expect(sample(samples, 'order_service_ready')?.value).toBe(1);
    expect(sample(samples, 'inbound_prefetch_limit')?.value).toBe(40);
    expect(sample(samples, 'inbound_deliveries_in_hand')?.value).toBe(0);
    expect(sample(samples, 'inbound_queue_messages')?.value).toBe(0);
    expect(sample(samples, 'dead_letter_queue_messages')?.value).toBe(1);
    expect(sample(samples, 'order_intake_batch_size_count')?.value).toBe(1);
    expect(sample(samples, 'order_intake_batch_size_sum')?.value).toBe(1);
    expect(sample(samples, 'outbox_oldest_pending_age_seconds')?.value).toBe(0);
    expect(sample(samples, 'order_service_build_info')?.labels).toEqual({
      version: '0.1.0',
      node_version: expect.stringMatching(/^v26\./) as string,
    });
  });
});
