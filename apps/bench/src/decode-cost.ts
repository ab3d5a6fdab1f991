import amqp, { type ConfirmChannel } from 'amqplib';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { PlacedOrder } from '@app/ordering';
import { decodeJsonMessage } from '../../order-service/src/messaging/json-message.decoder.js';
import { freePort, query, stop } from './bench-process.js';
import { POSTGRES_URL, RABBITMQ_URL } from './bench-settings.js';
import { type ContractNames, contractNames, declareProductsSide, deleteContractTopology } from './contract-names.js';
import { consumerAttached, type RunningService, startService } from './drain.phase.js';

/*
 * `npm run bench:decode`: what one worst-case message costs the event loop. First inline, decoded
 * (UTF-8, lossless JSON) and checked against the contract as the intake once did on the event loop;
 * then through the built service, which decodes large bodies on a thread of its own, reading the
 * longest event-loop delay (nodejs_eventloop_lag_max_seconds, reset by each scrape) around each
 * message. Not a test: it measures and prints the median and the worst of a few runs per message.
 */

const MAX_BYTES = 4 * 1024 * 1024;
const INLINE_RUNS = 7;
const SERVICE_RUNS = 5;
const API_KEY = 'bench-api-key-0123456789';

/** A message of the table: its body for the nth run (orders get a new externalId each time). */
type Message = readonly [name: string, body: (run: number) => Buffer];

const externalId = (run: number) => `M-${run}-${randomBytes(8).toString('hex')}`.padEnd(64, 'A');

/** The largest legal order: 1000 lines, every string at its longest and every character \u-escaped. */
function maximalLegalOrder(run: number): Buffer {
  const emoji = '\\uD83D\\uDE00'.repeat(200);
  const lines = Array.from(
    { length: 1000 },
    (_, index) =>
      `{"productId":"${`P-${index}`.padEnd(64, 'x')}","name":"${emoji}","unitPrice":"1000000000.00","quantity":1000000}`,
  );
  return Buffer.from(
    `{"externalId":"${externalId(run)}","customerId":"${'C'.repeat(64)}","currency":"BRL",` +
      `"placedAt":"2026-11-21T10:00:00Z","items":[${lines.join(',')}]}`,
  );
}

/** An order whose one field is a number literal filling the rest of a maximal body. */
function hugeLiteral(field: 'unitPrice' | 'quantity', literal: (length: number) => string): Buffer {
  const frame = (value: string) =>
    `{"externalId":"A-1","currency":"BRL","items":[{"productId":"P-1","unitPrice":${field === 'unitPrice' ? value : '"1.00"'},"quantity":${field === 'quantity' ? value : '1'}}]}`;
  return Buffer.from(frame(literal(MAX_BYTES - frame('').length)));
}

/** A maximal body of as many small numbers as fit, in a field the contract does not define. */
function manyLiterals(run: number): Buffer {
  const head = `{"externalId":"${externalId(run)}","currency":"BRL","items":[{"productId":"P-1","unitPrice":"1.00","quantity":1}],"x":[`;
  const count = Math.floor((MAX_BYTES - head.length - 2) / 2);
  return Buffer.from(`${head}${Array(count).fill('1').join(',')}]}`);
}

const ordinaryOrder = (run: number) =>
  Buffer.from(
    JSON.stringify({
      externalId: externalId(run),
      currency: 'BRL',
      items: [{ productId: 'P-1', name: 'Mouse', unitPrice: '19.90', quantity: 2 }],
    }),
  );

const messages: Message[] = [
  ['ordinary order (1 line)', ordinaryOrder],
  ['maximal legal order (1000 lines, escaped)', maximalLegalOrder],
  ['unitPrice of 4 MiB of digits', () => hugeLiteral('unitPrice', (n) => '9'.repeat(n))],
  ['unitPrice with a 4 MiB exponent', () => hugeLiteral('unitPrice', (n) => `1e${'9'.repeat(n - 2)}`)],
  ['quantity of 4 MiB of digits', () => hugeLiteral('quantity', (n) => '9'.repeat(n))],
  ['2 million one-digit numbers', manyLiterals],
];

const ms = (value: number) => `${value.toFixed(1)} ms`;

function report(name: string, bytes: number, times: number[], outcome: string): void {
  times.sort((a, b) => a - b);
  process.stdout.write(
    `${name.padEnd(44)} ${String(bytes).padStart(8)} B  median ${ms(times[times.length >> 1])}  worst ${ms(times.at(-1)!)}  ${outcome}\n`,
  );
}

function inline(): void {
  process.stdout.write('Decoded and checked inline, on one thread:\n');
  for (const [name, bodyOf] of messages) {
    const times: number[] = [];
    let outcome = '';
    const body = bodyOf(0);
    for (let run = 0; run < INLINE_RUNS; run++) {
      const started = performance.now();
      try {
        PlacedOrder.parse(decodeJsonMessage(body, MAX_BYTES));
        outcome = 'valid';
      } catch (error) {
        outcome = `refused: ${(error as Error).message.slice(0, 60)}`;
      }
      times.push(performance.now() - started);
    }
    report(name, body.length, times, outcome);
  }
}

/** The service's longest event-loop delay since the previous scrape, in ms. */
async function lagMaxMs(baseUrl: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  return Number(/^nodejs_eventloop_lag_max_seconds (\S+)$/m.exec(text)?.[1]) * 1000;
}

/** Calculated orders plus dead letters: one more once a message is settled either way. */
async function settledCount(channel: ConfirmChannel, names: ContractNames, service: RunningService): Promise<number> {
  return (await service.calculatedOrders()) + (await channel.checkQueue(names.DEAD_LETTER_QUEUE)).messageCount;
}

async function inService(): Promise<void> {
  const tag = `decode${randomBytes(4).toString('hex')}`;
  const names = contractNames(tag);
  const connection = await amqp.connect(RABBITMQ_URL, { noDelay: true });
  const channel = await connection.createConfirmChannel();
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let service: RunningService | undefined;
  try {
    await declareProductsSide(channel, names);
    service = startService(
      {
        ...names,
        DATABASE_URL: `${POSTGRES_URL}/${tag}`,
        HTTP_PORT: String(port),
        MANAGEMENT_PORT: '0',
        HTTP_RATE_LIMIT_PER_MINUTE: '0',
        SERVICE_NAME: tag,
        API_KEYS: API_KEY,
      },
      baseUrl,
      API_KEY,
    );
    await consumerAttached(channel, names.INBOUND_QUEUE, service.process);
    // The consumer attaches before the HTTP listener opens.
    while (!(await fetch(`${baseUrl}/health/live`).catch(() => null))?.ok) await sleep(50);
    process.stdout.write('\nThrough the service (large bodies on its decoding thread), longest event-loop delay:\n');
    for (const [name, bodyOf] of messages) {
      const times: number[] = [];
      let bytes = 0;
      for (let run = 0; run < SERVICE_RUNS; run++) {
        const body = bodyOf(run + 1);
        bytes = body.length;
        const before = await settledCount(channel, names, service);
        await lagMaxMs(baseUrl);
        channel.publish(names.INBOUND_EXCHANGE, names.INBOUND_ROUTING_KEY, body, { persistent: true });
        await channel.waitForConfirms();
        while ((await settledCount(channel, names, service)) === before) await sleep(20);
        // The relay's publish of the order's event belongs to its cost too.
        await sleep(200);
        times.push(await lagMaxMs(baseUrl));
      }
      report(name, bytes, times, '');
    }
  } finally {
    if (service) await stop(service.process);
    await deleteContractTopology(channel, names);
    await connection.close().catch(() => undefined);
    await query(`${POSTGRES_URL}/postgres`, `DROP DATABASE IF EXISTS "${tag}" WITH (FORCE)`).catch(() => undefined);
  }
}

inline();
await inService();
