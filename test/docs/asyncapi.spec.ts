import { MINOR_UNIT_DIGITS } from '@app/ordering/domain/iso-4217.js';
import fc from 'fast-check';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { Environment } from '../../apps/order-service/src/config/environment.js';
import { declareTopology, topologyOf } from '../../apps/order-service/src/outbound/amqp/amqp-topology.js';
import { type CorpusMessage, corpusMessage } from '../fixtures/order-message.corpus.js';
import { type AsyncApiContract, type DocumentedChannel, loadAsyncApi } from '../support/asyncapi-document.js';

/** What declareTopology asks of the broker, recorded by a stand-in for amqplib. */
const declared = vi.hoisted(() => ({ exchanges: [] as string[], queues: [] as string[], bindings: [] as string[] }));

vi.mock('amqplib', () => {
  const channel = {
    on: () => undefined,
    close: () => Promise.resolve(),
    assertExchange: (name: string, type: string, options: { durable: boolean }) => {
      declared.exchanges.push(`${name} ${type} durable=${options.durable}`);
      return Promise.resolve();
    },
    assertQueue: (name: string, options: { durable: boolean; arguments?: object }) => {
      declared.queues.push(`${name} durable=${options.durable}`);
      return Promise.resolve();
    },
    bindQueue: (queue: string, exchange: string, routingKey: string) => {
      declared.bindings.push(`${queue} <- ${exchange} ${routingKey}`);
      return Promise.resolve();
    },
  };
  const connection = { createChannel: () => Promise.resolve(channel), close: () => Promise.resolve() };
  return { default: { connect: () => Promise.resolve(connection) } };
});

const RUNS = Number(process.env.CORPUS_RUNS ?? 300);
const BYTE_ORDER_MARK = '\ufeff';

const sorted = (items: Iterable<string>) => [...new Set(items)].sort();

function documentedTopology(channels: readonly DocumentedChannel[]) {
  const amqp = channels.flatMap((channel) =>
    channel.bindings?.amqp ? [{ channel, amqp: channel.bindings.amqp }] : [],
  );
  return {
    exchanges: sorted(
      amqp.flatMap(({ amqp: { exchange } }) =>
        exchange ? [`${exchange.name} ${exchange.type} durable=${exchange.durable}`] : [],
      ),
    ),
    queues: sorted(amqp.flatMap(({ amqp: { queue } }) => (queue ? [`${queue.name} durable=${queue.durable}`] : []))),
    bindings: sorted(
      amqp.flatMap(({ channel, amqp: { queue } }) =>
        (channel['x-bound-to'] ?? []).map(({ exchange, routingKey }) => `${queue?.name} <- ${exchange} ${routingKey}`),
      ),
    ),
  };
}

/** A number as a JSON text wrote it, beside the double a parser made of it. */
class WrittenNumber {
  constructor(
    readonly value: number,
    readonly source: string,
  ) {}
}

type Reviver = (key: string, value: unknown, context: { source?: string }) => unknown;

function parseBody(message: CorpusMessage, reviver?: Reviver): unknown {
  const text = message.body.toString('utf8');
  return JSON.parse(
    text.startsWith(BYTE_ORDER_MARK) ? text.slice(1) : text,
    reviver as Parameters<typeof JSON.parse>[1],
  );
}

/** The value at a field path as the service names it (`items[2].quantity`), or undefined. */
function at(json: unknown, field: string): unknown {
  return field
    .split(/\.|\[(\d+)\]/)
    .filter((key) => key !== undefined && key !== '')
    .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], json);
}

/**
 * Whether a message's defect is only in how a number is written (`2.0` for a quantity, a price
 * that underflows to 0): a parsed value no longer shows it, so only the service's own reading can
 * refuse it, as the document says.
 */
function defectIsInTheSpelling(message: CorpusMessage, field: string): boolean {
  const written = at(
    parseBody(message, (_key, value, context) =>
      typeof value === 'number' ? new WrittenNumber(value, context.source ?? String(value)) : value,
    ),
    field,
  );
  return written instanceof WrittenNumber && written.source !== String(written.value);
}

describe('docs/asyncapi.yaml', () => {
  let contract: AsyncApiContract;

  beforeAll(async () => {
    contract = await loadAsyncApi();
  }, 60_000);

  it('is a valid AsyncAPI document', () => {
    expect(contract.errors).toEqual([]);
    expect(contract.channels.length).toBeGreaterThan(0);
  });

  it('has a channel for every exchange, queue and binding the service declares, and no other', async () => {
    await declareTopology('amqp://documented', topologyOf(new Environment()));
    expect({
      exchanges: sorted(declared.exchanges),
      queues: sorted(declared.queues),
      bindings: sorted(declared.bindings),
    }).toEqual(documentedTopology(contract.channels));
  });

  it("groups the currencies by the service's own table of decimal places", () => {
    const validator = contract.payloadValidator('OrderPlaced');
    const schema = validator.schema as { properties: { currency: { enum: string[] } } };
    expect(sorted(schema.properties.currency.enum)).toEqual(sorted(MINOR_UNIT_DIGITS.keys()));
    for (const [code, decimals] of MINOR_UNIT_DIGITS) {
      const price = decimals === 0 ? '1' : `1.${'0'.repeat(decimals - 1)}1`;
      const tooPrecise = decimals === 0 ? '1.5' : `${price}1`;
      const order = (unitPrice: string) => ({
        externalId: 'A-1',
        currency: code,
        items: [{ productId: 'P-1', unitPrice, quantity: 1 }],
      });
      expect(validator(order(price)), `${code} ${price}`).toBe(true);
      expect(validator(order(tooPrecise)), `${code} ${tooPrecise}`).toBe(false);
    }
  });

  it('accepts every valid message of the corpus and refuses every invalid-order one', () => {
    const validate = contract.payloadValidator('OrderPlaced');
    fc.assert(
      fc.property(corpusMessage, (message) => {
        const { expected } = message;
        if (expected.outcome === 'calculated') {
          const valid = validate(parseBody(message));
          expect(valid, `${message.label}: ${JSON.stringify(validate.errors)}`).toBe(true);
          return;
        }
        if (expected.reason !== 'invalid-order') return; // not JSON at all: no schema applies
        if (validate(parseBody(message))) {
          expect(defectIsInTheSpelling(message, expected.field), `${message.label} passes the schema`).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it('describes the OrderCalculated message of its own example, and refuses a total in the wrong decimals', () => {
    const validate = contract.payloadValidator('OrderCalculated');
    const message = {
      eventId: '0b6c5f1e-7d1a-4d0e-9a57-3f3c1f0b9d21',
      eventType: 'OrderCalculated',
      occurredAt: '2026-11-21T10:00:00.120Z',
      orderId: '5f0e8a52-1c1e-4f57-8d0b-6a3f2f8f5b10',
      externalId: 'A-2026-000123',
      customerId: null,
      status: 'CALCULATED',
      currency: 'JPY',
      total: '1500',
      itemCount: 1,
      items: [{ productId: 'P-1', name: null, unitPrice: '1500', quantity: 1, lineTotal: '1500' }],
    };
    expect(validate(message), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...message, total: '1500.00' })).toBe(false);
  });
});
