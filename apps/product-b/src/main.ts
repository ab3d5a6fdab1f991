import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import {
  integerOption,
  OrderApiClient,
  ProgressLine,
  runCli,
  runUntilStopped,
  shareOption,
  textTable,
  timestampOption,
  UsageError,
  withExampleTracing,
} from '@app/simulators';
import { BACK_OFFICE_CHANGES, BackOffice, type BackOfficeChange, BackOfficePlan } from './back-office.js';
import { walkOrders } from './cursor-walk.js';
import { OrderCalculatedConsumer, type ReceivedSummary } from './order-calculated.consumer.js';

const USAGE = `
product-b: reads calculated orders from the order service and runs their back office as product B
does (docs/contract.md, sections 2 to 4).

  node dist/apps/product-b/src/main.js consume [options]   (until Ctrl-C or SIGTERM)
      consumes OrderCalculated from its own durable queue bound to the events exchange, handles each
      eventId once, fetches the order over REST, checks that both agree, then acknowledges
  node dist/apps/product-b/src/main.js back-office [options]   (until Ctrl-C or SIGTERM)
      consumes the service's order.status-changed queue, handles each eventId once, and by a choice
      drawn from the seed and each order's externalId ships or cancels paid orders, delivers shipped
      ones and asks to cancel a few delivered ones (the service refuses: 409), over REST
  node dist/apps/product-b/src/main.js walk [options]
      walks GET /orders newest first with the cursor over a window of receivedAt, and checks what it
      met against GET /orders/stats for the same window

  --api-url U        the service's REST API (default ORDER_API_URL or http://127.0.0.1:3000)
  --api-key K        product B's key, sent as X-API-Key (default API_KEY or local-development-key)
  --json             print the summary as JSON on stdout
 consume:
  --queue Q          product B's queue (default EVENTS_QUEUE or order.calculated)
  --prefetch N       messages handled at once (default 50)
  --url, --exchange, --routing-key
                     broker and names (default RABBITMQ_URL, EVENTS_EXCHANGE, EVENTS_ROUTING_KEY, or the
                     contract's amqp://guest:guest@127.0.0.1:5672, orders.events, order.calculated)
 back-office:
  --status-queue Q   the status-change queue (default STATUS_EVENTS_QUEUE or order.status-changed)
  --ship F, --cancel F
                     shares of the paid orders shipped and cancelled (default 0.6 and 0.1)
  --deliver F        share of the shipped orders delivered (default 0.7)
  --cancel-delivered F
                     share of the delivered orders asked to be cancelled (default 0.05)
  --seed N           the same seed makes the same choices for the same externalIds (default random)
  --prefetch N       events handled at once (default 50)
 walk:
  --from T, --to T   the window of receivedAt, ISO 8601 (default the last 24 hours)
  --status S         only orders in this status
  --limit N          page size, 1-500 (default 200)
`;

function readOptions() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'api-url': { type: 'string', default: process.env.ORDER_API_URL ?? 'http://127.0.0.1:3000' },
      'api-key': { type: 'string', default: process.env.API_KEY ?? 'local-development-key' },
      json: { type: 'boolean', default: false },
      queue: { type: 'string', default: process.env.EVENTS_QUEUE ?? 'order.calculated' },
      prefetch: { type: 'string', default: '50' },
      url: { type: 'string', default: process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672' },
      exchange: { type: 'string', default: process.env.EVENTS_EXCHANGE ?? 'orders.events' },
      'routing-key': { type: 'string', default: process.env.EVENTS_ROUTING_KEY ?? 'order.calculated' },
      from: { type: 'string', default: new Date(Date.now() - 86_400_000).toISOString() },
      to: { type: 'string', default: new Date().toISOString() },
      status: { type: 'string' },
      limit: { type: 'string', default: '200' },
      'status-queue': { type: 'string', default: process.env.STATUS_EVENTS_QUEUE ?? 'order.status-changed' },
      seed: { type: 'string', default: String(randomBytes(4).readUInt32BE()) },
      ship: { type: 'string', default: '0.6' },
      cancel: { type: 'string', default: '0.1' },
      deliver: { type: 'string', default: '0.7' },
      'cancel-delivered': { type: 'string', default: '0.05' },
    },
  });
  const [mode = 'consume', ...rest] = positionals;
  if (!isMode(mode) || rest.length > 0) {
    throw new UsageError(`unknown command ${JSON.stringify(positionals.join(' '))}: use consume, back-office or walk`);
  }
  return { mode, values, api: new OrderApiClient(values['api-url'], values['api-key']) };
}

type Options = ReturnType<typeof readOptions>;
type Mode = 'consume' | 'back-office' | 'walk';

function isMode(mode: string): mode is Mode {
  return mode === 'consume' || mode === 'back-office' || mode === 'walk';
}

async function consume({ values, api }: Options): Promise<number> {
  const settings = {
    url: values.url,
    exchange: values.exchange,
    routingKey: values['routing-key'],
    queue: values.queue,
    prefetch: integerOption('prefetch', values.prefetch, 1, 65_535),
  };
  const started = performance.now();
  const { running: consumer, error } = await runUntilStopped(
    (onFatal) => OrderCalculatedConsumer.start(settings, api, onFatal),
    `product B: consuming ${values.queue} (bound to ${values.exchange} / ${values['routing-key']})`,
    (consumer) => {
      const { deliveries, repeated, verified, mismatched, retried } = consumer.counts;
      const rate = Math.round(deliveries / Math.max((performance.now() - started) / 1000, 0.001));
      return (
        `product B · ${deliveries} received (${repeated} repeated) · ${verified} verified by REST · ${mismatched} mismatched` +
        ` · ${retried} retried · ${consumer.inFlightCount} in hand · ${rate}/s`
      );
    },
  );
  const summary: ReceivedSummary = {
    queue: values.queue,
    ...consumer.counts,
    orders: consumer.orders,
    totalsByCurrency: consumer.totals.toJSON(),
    mismatches: consumer.mismatches,
    lastRetryReason: consumer.lastRetryReason,
    error,
  };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } else {
    const rows = Object.entries(consumer.counts).map(([name, count]) => [name, String(count)]);
    const totals = Object.entries(summary.totalsByCurrency).map(([currency, sum]) => `${currency} ${sum}`);
    process.stdout.write(
      [
        `product B on ${values.queue}: ${consumer.orders} orders`,
        textTable(rows),
        `totals of the verified orders: ${totals.join(', ') || 'none'}`,
        ...summary.mismatches.map((mismatch) => `mismatch: ${mismatch}`),
        ...(summary.error ? [`stopped: ${summary.error}`] : []),
        '',
      ].join('\n'),
    );
  }
  return summary.error === null && summary.mismatched === 0 ? 0 : 1;
}

async function backOffice({ values, api }: Options): Promise<number> {
  const seed = integerOption('seed', values.seed, 0, 0xffffffff);
  const plan = new BackOfficePlan({
    seed,
    ship: shareOption('ship', values.ship),
    cancel: shareOption('cancel', values.cancel),
    deliver: shareOption('deliver', values.deliver),
    cancelDelivered: shareOption('cancel-delivered', values['cancel-delivered']),
  });
  const queue = {
    url: values.url,
    queue: values['status-queue'],
    prefetch: integerOption('prefetch', values.prefetch, 1, 65_535),
  };
  const { running: office, error } = await runUntilStopped(
    (onFatal) => BackOffice.start(queue, plan, api, onFatal),
    `product B back office: consuming ${queue.queue}, changing orders over REST`,
    (office) => {
      const made = (change: BackOfficeChange) => office.changes[change].changed;
      const refused = BACK_OFFICE_CHANGES.reduce((sum, change) => sum + office.changes[change].refused, 0);
      return (
        `product B back office · ${office.consumed.deliveries} events · shipped ${made('ship')} · delivered ${made('deliver')}` +
        ` · cancelled ${made('cancel')} · ${refused} refused · ${office.inFlightCount} in hand`
      );
    },
  );
  const summary = office.summary({ seed, queue: queue.queue, error });
  if (values.json) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } else {
    const events = Object.entries(summary.eventsByType).map(([type, count]) => [type, String(count)]);
    const changes = BACK_OFFICE_CHANGES.map((change) => {
      const { changed, unchanged, refused } = summary.changes[change];
      return [change, String(changed), String(unchanged), String(refused)];
    });
    process.stdout.write(
      [
        `product B back office on ${queue.queue}: ${Object.keys(summary.eventsByOrder).length} orders`,
        textTable([['event', 'received'], ...events]),
        textTable([['change', '200 changed', '200 already', '409 refused'], ...changes]),
        ...summary.refusals.map((refusal) => `refused: ${refusal}`),
        ...(summary.error ? [`stopped: ${summary.error}`] : []),
        '',
      ].join('\n'),
    );
  }
  return summary.error === null ? 0 : 1;
}

async function walk({ values, api }: Options): Promise<number> {
  const progress = new ProgressLine();
  const receivedFrom = timestampOption('from', values.from);
  const receivedTo = timestampOption('to', values.to);
  const result = await walkOrders(
    api,
    { receivedFrom, receivedTo, status: values.status, pageSize: integerOption('limit', values.limit, 1, 500) },
    (pages, orders) => progress.show(`product B walking GET /orders · page ${pages} · ${orders} orders`),
  );
  progress.finish(`product B walked GET /orders · ${result.pages} pages · ${result.orders} orders`);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } else {
    const totals = (sums: Record<string, string>) =>
      Object.entries(sums)
        .map(([currency, sum]) => `${currency} ${sum}`)
        .join(', ') || 'none';
    process.stdout.write(
      [
        `GET /orders from ${result.receivedFrom} to ${result.receivedTo}${result.status ? `, status ${result.status}` : ''}`,
        textTable([
          ['pages', String(result.pages)],
          ['orders', String(result.orders)],
          ['met twice', String(result.repeated)],
          ['not newest first', String(result.outOfOrder)],
          ...Object.entries(result.countsByStatus).map(([status, count]) => [status, String(count)]),
        ]),
        `totals (walked): ${totals(result.totalsByCurrency)}`,
        `totals (stats):  ${totals(result.stats.totalsByCurrency)}`,
        `agrees with GET /orders/stats: ${result.agreesWithStats ? 'yes' : 'NO'}`,
        '',
      ].join('\n'),
    );
  }
  return result.agreesWithStats && result.repeated === 0 && result.outOfOrder === 0 ? 0 : 1;
}

const MODES = { consume, 'back-office': backOffice, walk } as const;

runCli(
  withExampleTracing('product-b', async () => {
    const options = readOptions();
    return MODES[options.mode](options);
  }),
  USAGE,
);
