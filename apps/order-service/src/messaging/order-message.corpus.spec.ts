import { Order, PlacedOrder } from '@app/ordering';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PRODUCT_A_ORIGIN } from '../../../../test/fixtures/order.mother.js';
import { corpusMessage, namesField } from '../../../../test/fixtures/order-message.corpus.js';
import { Environment } from '../config/environment.js';
import { decodeJsonMessage, UndecodableMessageError } from './json-message.decoder.js';
import { type Rejection, rejectionFor } from './rejection.js';

type Verdict =
  | { readonly outcome: 'calculated'; readonly total: string; readonly itemCount: number }
  | ({ readonly outcome: 'rejected' } & Rejection);

const DEFAULT_LIMIT = new Environment().INBOUND_MAX_MESSAGE_BYTES;
/** CORPUS_RUNS=100000 explores further than the default run, which stays within a few seconds. */
const RUNS = Number(process.env.CORPUS_RUNS ?? 1000);
const TIMEOUT_MS = Math.max(60_000, RUNS * 50);

/**
 * What the service decides about one body, along its own path: the decoder, the contract's rules
 * (PlacedOrder.parse), the aggregate's calculation. Only the typed rejections count as an answer;
 * anything else thrown fails the property.
 */
function judge(body: Buffer, maxBytes = DEFAULT_LIMIT): Verdict {
  try {
    const placed = PlacedOrder.parse(decodeJsonMessage(body, maxBytes));
    const order = Order.receive({ id: randomUUID(), placed, correlationId: null, receivedAt: new Date() });
    order.calculate(PRODUCT_A_ORIGIN, new Date());
    return { outcome: 'calculated', total: String(order.total), itemCount: order.itemCount };
  } catch (error) {
    if (error instanceof UndecodableMessageError) return { outcome: 'rejected', ...error.rejection };
    const rejection = rejectionFor(error);
    if (rejection) return { outcome: 'rejected', ...rejection };
    throw error;
  }
}

describe('the bad-input corpus, message by message', () => {
  it(
    'rejects every defective message with its reason and a detail naming the field, and totals every valid one exactly',
    () => {
      fc.assert(
        fc.property(corpusMessage, (message) => {
          const verdict = judge(message.body);
          if (message.expected.outcome === 'calculated') {
            expect(verdict, message.label).toEqual(message.expected);
            return;
          }
          expect(verdict.outcome, message.label).toBe('rejected');
          if (verdict.outcome !== 'rejected') return;
          expect(verdict.reason, `${message.label}: ${verdict.detail}`).toBe(message.expected.reason);
          expect(namesField(verdict.detail, message.expected.field), `${message.label}: ${verdict.detail}`).toBe(true);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );

  it(
    'refuses a body over the size limit without reading it, and reads one at the limit as usual',
    () => {
      fc.assert(
        fc.property(corpusMessage, fc.integer({ min: 1, max: 1000 }), (message, excess) => {
          fc.pre(message.body.length > 0);
          const limit = Math.max(0, message.body.length - excess);
          expect(judge(message.body, limit)).toEqual({
            outcome: 'rejected',
            reason: 'invalid-order',
            detail: expect.stringMatching(
              new RegExp(`^The message body is ${message.body.length} bytes, over the limit of ${limit} bytes`),
            ),
          });
          expect(judge(message.body, message.body.length)).toEqual(judge(message.body));
        }),
        { numRuns: Math.ceil(RUNS / 5) },
      );
    },
    TIMEOUT_MS,
  );

  it('has a default size limit that fits the largest legal order, every string at its longest and \\u-escaped', () => {
    const escaped = (length: number) => '\\ud83d\\ude00'.repeat(length);
    const line =
      `{"productId":"${escaped(64)}","name":"${escaped(200)}",` + '"unitPrice":"1000000000.000","quantity":1000000}';
    const body = Buffer.from(
      `{"externalId":"${'A'.repeat(64)}","customerId":"${escaped(64)}","currency":"KWD",` +
        `"placedAt":"2026-11-21T10:00:00.000+03:00","items":[${Array(1000).fill(line).join(',')}]}`,
    );

    expect(body.length).toBeGreaterThan(3_000_000);
    expect(judge(body)).toEqual({ outcome: 'calculated', total: '1000000000000000000.000', itemCount: 1000 });
  });
});
