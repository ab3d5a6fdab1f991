import { parseArgs } from 'node:util';
import {
  integerOption,
  OrderApiClient,
  ProgressLine,
  runCli,
  textTable,
  timestampOption,
  UsageError,
} from '@app/simulators';
import { walkOrders } from './cursor-walk.js';
import { OrderCalculatedConsumer, type ReceivedSummary } from './order-calculated.consumer.js';

const USAGE = `
product-b: reads calculated orders from the order service as product B does (docs/contract.md, sections 2 and 3).

  node dist/apps/product-b/src/main.js consume [options]   (until Ctrl-C or SIGTERM)
      consumes OrderCalculated from its own durable queue bound to the events exchange, handles each
      eventId once, fetches the order over REST, checks that both agree, then acknowledges
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
    },
  });
  const [mode = 'consume', ...rest] = positionals;
  if (!['consume', 'walk'].includes(mode) || rest.length > 0) {
    throw new UsageError(`unknown command ${JSON.stringify(positionals.join(' '))}: use consume or walk`);
  }
  return { mode, values, api: new OrderApiClient(values['api-url'], values['api-key']) };
}

type Options = ReturnType<typeof readOptions>;

async function consume({ values, api }: Options): Promise<number> {
  const progress = new ProgressLine();
  let fatal: Error | null = null;
  let stopRequested: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (stopRequested = resolve));
  const consumer = await OrderCalculatedConsumer.start(
    {
      url: values.url,
      exchange: values.exchange,
      routingKey: values['routing-key'],
      queue: values.queue,
      prefetch: integerOption('prefetch', values.prefetch, 1, 65_535),
    },
    api,
    (error) => {
      fatal ??= error;
      stopRequested();
    },
  );
  process.once('SIGINT', stopRequested).once('SIGTERM', stopRequested);
  progress.say(`product B: consuming ${values.queue} (bound to ${values.exchange} / ${values['routing-key']})`);
  const started = performance.now();
  const status = () => {
    const { deliveries, repeated, verified, mismatched, retried } = consumer.counts;
    const rate = Math.round(deliveries / Math.max((performance.now() - started) / 1000, 0.001));
    return (
      `product B · ${deliveries} received (${repeated} repeated) · ${verified} verified by REST · ${mismatched} mismatched` +
      ` · ${retried} retried · ${consumer.inFlightCount} in hand · ${rate}/s`
    );
  };
  const ticker = setInterval(() => progress.show(status()), 100);
  await stopped;
  clearInterval(ticker);
  await consumer.stop();
  progress.finish(status());

  const summary: ReceivedSummary = {
    queue: values.queue,
    ...consumer.counts,
    orders: consumer.orders,
    totalsByCurrency: consumer.totals.toJSON(),
    mismatches: consumer.mismatches,
    lastRetryReason: consumer.lastRetryReason,
    error: fatal === null ? null : (fatal as Error).message,
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

runCli(async () => {
  const options = readOptions();
  return options.mode === 'walk' ? walk(options) : consume(options);
}, USAGE);
