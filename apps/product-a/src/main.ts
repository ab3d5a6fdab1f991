import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import {
  ConfirmedPublisher,
  integerOption,
  ProgressLine,
  progressBar,
  runCli,
  shareOption,
  timestampOption,
  withExampleTracing,
} from '@app/simulators';
import { type MessageKind, type MixSettings, OrderMix } from './order-mix.js';
import { renderSentSummary, sentSummary } from './sent-summary.js';

const USAGE = `
product-a: publishes orders to the order service as product A does (docs/contract.md, section 1).

  node dist/apps/product-a/src/main.js [options]

  --count N          messages to send (default 1000; with --duration, at most this many)
  --duration S       send for S seconds instead
  --rate R           messages per second, 0 for as fast as the broker confirms (default 100)
  --duplicates F     share of duplicates, 0-1 or a percentage (default 0.05)
  --conflicts F      share of conflicting duplicates (default 0.01)
  --invalid F        share of invalid messages (default 0.02)
  --seed N           seed of the generator: the same seed sends the same messages (default random)
  --id-prefix P      prefix of the externalIds (default A-<random>)
  --epoch T          placedAt of the first order, ISO 8601 (default today 00:00 UTC)
  --json             print the summary as JSON on stdout
  --url, --exchange, --routing-key
                     broker and names (default RABBITMQ_URL, INBOUND_EXCHANGE, INBOUND_ROUTING_KEY,
                     or the contract's amqp://guest:guest@127.0.0.1:5672, orders.inbound, order.placed)
`;

function readSettings() {
  const { values } = parseArgs({
    options: {
      count: { type: 'string' },
      duration: { type: 'string' },
      rate: { type: 'string', default: '100' },
      duplicates: { type: 'string', default: '0.05' },
      conflicts: { type: 'string', default: '0.01' },
      invalid: { type: 'string', default: '0.02' },
      seed: { type: 'string', default: String(randomBytes(4).readUInt32BE()) },
      'id-prefix': { type: 'string', default: `A-${randomBytes(3).toString('hex')}` },
      epoch: { type: 'string', default: `${new Date().toISOString().slice(0, 10)}T00:00:00Z` },
      json: { type: 'boolean', default: false },
      url: { type: 'string', default: process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672' },
      exchange: { type: 'string', default: process.env.INBOUND_EXCHANGE ?? 'orders.inbound' },
      'routing-key': { type: 'string', default: process.env.INBOUND_ROUTING_KEY ?? 'order.placed' },
    },
    strict: true,
  });
  const mix: MixSettings = {
    seed: integerOption('seed', values.seed, 0, 0xffffffff),
    idPrefix: values['id-prefix'],
    epoch: timestampOption('epoch', values.epoch),
    duplicates: shareOption('duplicates', values.duplicates),
    conflicts: shareOption('conflicts', values.conflicts),
    invalid: shareOption('invalid', values.invalid),
  };
  const durationMs =
    values.duration === undefined ? Number.POSITIVE_INFINITY : integerOption('duration', values.duration, 1) * 1000;
  const defaultCount = values.duration === undefined ? 1000 : Number.MAX_SAFE_INTEGER;
  return {
    mix,
    count: values.count === undefined ? defaultCount : integerOption('count', values.count, 1),
    durationMs,
    rate: integerOption('rate', values.rate),
    json: values.json,
    target: { url: values.url, exchange: values.exchange, connectionName: 'product-a example' },
    routingKey: values['routing-key'],
  };
}

async function main(): Promise<number> {
  const settings = readSettings();
  const mix = new OrderMix(settings.mix);
  const publisher = await ConfirmedPublisher.connect(settings.target);
  const progress = new ProgressLine();
  const byKind: Record<MessageKind, number> = {
    new: 0,
    duplicate: 0,
    conflict: 0,
    'invalid-json': 0,
    'invalid-order': 0,
  };
  const flaws: Record<string, number> = {};
  let interrupted = false;
  const interrupt = () => (interrupted = true);
  process.once('SIGINT', interrupt).once('SIGTERM', interrupt);

  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const finite = Number.isFinite(settings.durationMs);
  const status = () => {
    const { published, confirmed } = publisher.counts;
    const done = finite ? elapsed() / settings.durationMs : published / settings.count;
    const rate = Math.round(published / Math.max(elapsed() / 1000, 0.001));
    return (
      `product A ${progressBar(done, 1)} ${published}${finite ? '' : `/${settings.count}`} sent, ${confirmed} confirmed, ${rate}/s` +
      ` · new ${byKind.new} · duplicates ${byKind.duplicate} · conflicts ${byKind.conflict}` +
      ` · invalid ${byKind['invalid-json'] + byKind['invalid-order']}`
    );
  };
  try {
    for (let index = 0; index < settings.count && elapsed() < settings.durationMs && !interrupted; index++) {
      if (settings.rate > 0) {
        const wait = (index * 1000) / settings.rate - elapsed();
        if (wait > 1) await sleep(wait);
      }
      const message = mix.next();
      byKind[message.kind]++;
      if (message.flaw) flaws[message.flaw] = (flaws[message.flaw] ?? 0) + 1;
      await publisher.publish(settings.routingKey, message.body, `${settings.mix.idPrefix}-m${index}`);
      progress.show(status());
    }
  } finally {
    await publisher.close();
    progress.finish(status());
  }
  const summary = sentSummary(settings.mix, publisher.counts, elapsed() / 1000, byKind, flaws, mix.totals.toJSON());
  process.stdout.write(`${settings.json ? JSON.stringify(summary) : renderSentSummary(summary)}\n`);
  const { published, confirmed, unroutable } = summary;
  return published === confirmed && unroutable === 0 ? 0 : 1;
}

runCli(withExampleTracing('product-a', main), USAGE);
