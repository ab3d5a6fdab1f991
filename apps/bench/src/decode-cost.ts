import { performance } from 'node:perf_hooks';
import { PlacedOrder } from '@app/ordering';
import { decodeOrderMessage } from '../../order-service/src/messaging/order-message.decoder.js';

/*
 * `npm run bench:decode`: how long one worst-case message holds the event loop, decoded (UTF-8,
 * lossless JSON) and checked against the contract, as the inbound adapter does with every delivery.
 * Not a test: it measures and prints the median and the worst of a few runs per message.
 */

const MAX_BYTES = 4 * 1024 * 1024;
const RUNS = 7;

/** The largest legal order: 1000 lines, every string at its longest and every character \u-escaped. */
function maximalLegalOrder(): Buffer {
  const emoji = '\\uD83D\\uDE00'.repeat(200);
  const lines = Array.from(
    { length: 1000 },
    (_, index) =>
      `{"productId":"${`P-${index}`.padEnd(64, 'x')}","name":"${emoji}","unitPrice":"1000000000.00","quantity":1000000}`,
  );
  return Buffer.from(
    `{"externalId":"${'A'.repeat(64)}","customerId":"${'C'.repeat(64)}","currency":"BRL",` +
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
function manyLiterals(): Buffer {
  const head =
    '{"externalId":"A-1","currency":"BRL","items":[{"productId":"P-1","unitPrice":"1.00","quantity":1}],"x":[';
  const count = Math.floor((MAX_BYTES - head.length - 2) / 2);
  return Buffer.from(`${head}${Array(count).fill('1').join(',')}]}`);
}

const messages: [string, Buffer][] = [
  ['maximal legal order (1000 lines, escaped)', maximalLegalOrder()],
  ['unitPrice of 4 MiB of digits', hugeLiteral('unitPrice', (n) => '9'.repeat(n))],
  ['unitPrice with a 4 MiB exponent', hugeLiteral('unitPrice', (n) => `1e${'9'.repeat(n - 2)}`)],
  ['quantity of 4 MiB of digits', hugeLiteral('quantity', (n) => '9'.repeat(n))],
  ['2 million one-digit numbers', manyLiterals()],
];

for (const [name, body] of messages) {
  const times: number[] = [];
  let outcome = '';
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    try {
      PlacedOrder.parse(decodeOrderMessage(body, MAX_BYTES));
      outcome = 'valid';
    } catch (error) {
      outcome = `refused: ${(error as Error).message.slice(0, 70)}`;
    }
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  process.stdout.write(
    `${name.padEnd(44)} ${String(body.length).padStart(8)} B  median ${ms(times[RUNS >> 1])}  worst ${ms(times.at(-1)!)}  ${outcome}\n`,
  );
}
