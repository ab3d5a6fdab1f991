import { randomUUID } from 'node:crypto';
import {
  type ChangeOrigin,
  InvalidPaymentError,
  Money,
  Order,
  parsePaymentNotice,
  type PaymentOutcome,
  PlacedOrder,
} from '@app/ordering';
import { MINOR_UNIT_DIGITS } from '@app/ordering/domain/iso-4217.js';
import fc from 'fast-check';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { Environment } from '../../apps/order-service/src/config/environment.js';
import { decodeJsonMessage, PAYMENT_MESSAGE } from '../../apps/order-service/src/messaging/json-message.decoder.js';
import { declareTopology, topologyOf } from '../../apps/order-service/src/outbound/amqp/amqp-topology.js';
import { toOrderEventMessage } from '../../apps/order-service/src/outbound/outbox/order-event.message.js';
import { type CorpusMessage, corpusMessage } from '../fixtures/order-message.corpus.js';
import { anItem, anOrderMessage, PRODUCT_A_ORIGIN } from '../fixtures/order.mother.js';
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

type PaymentBody = Record<string, unknown>;

interface GeneratedPayment {
  readonly outcome: PaymentOutcome;
  readonly body: PaymentBody;
}

const PAYMENT_ID_CHARACTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-'.split('');
const ORDER_ID = '5f0e8a52-1c1e-4f57-8d0b-6a3f2f8f5b10';
const TIME_ZONES = ['Z', 'z', '+00:00', '-03:00', '+05:30'];

/** An amount of the currency's own decimal places, as a string or a JSON number, within 0–1,000,000,000. */
const amountOf = (decimals: number) =>
  fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 9n * 10n ** BigInt(decimals) }), fc.boolean()).map(([minor, asNumber]) => {
    const digits = minor.toString().padStart(decimals + 1, '0');
    const text = decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
    return asNumber && text.replace('.', '').replace(/^0+/, '').length <= 15 ? Number(text) : text;
  });

const validPayment: fc.Arbitrary<GeneratedPayment> = fc
  .record({
    paymentId: fc
      .array(fc.constantFrom(...PAYMENT_ID_CHARACTERS), { minLength: 1, maxLength: 64 })
      .map((cs) => cs.join('')),
    orderId: fc.uuid().map((uuid) => (uuid.charCodeAt(0) % 2 === 0 ? uuid : uuid.toUpperCase())),
    occurredAt: fc
      .tuple(
        fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }),
        fc.constantFrom(...TIME_ZONES),
      )
      .map(([date, zone]) => date.toISOString().replace('Z', zone)),
    reason: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 500 }).filter((text) => !text.includes('\u0000')),
    currency: fc.constantFrom(...MINOR_UNIT_DIGITS.keys()),
    confirmed: fc.boolean(),
  })
  .chain(({ confirmed, currency, reason, ...common }): fc.Arbitrary<GeneratedPayment> =>
    confirmed
      ? amountOf(MINOR_UNIT_DIGITS.get(currency) ?? 2).map((amount) => ({
          outcome: 'confirmed',
          body: { ...common, amount, currency },
        }))
      : fc.constant({ outcome: 'rejected', body: { ...common, reason } }),
  );

/** One rule of the contract broken: the name, which payments it applies to, and the change. */
const BROKEN_PAYMENTS: readonly [
  rule: string,
  applies: PaymentOutcome | 'both',
  breaks: (body: PaymentBody) => unknown,
][] = [
  ['paymentId missing', 'both', ({ paymentId: _, ...body }) => body],
  ['paymentId empty', 'both', (body) => ({ ...body, paymentId: '' })],
  ['paymentId of 65 characters', 'both', (body) => ({ ...body, paymentId: 'P'.repeat(65) })],
  ['paymentId with a space', 'both', (body) => ({ ...body, paymentId: 'PAY 1' })],
  ['paymentId with a slash', 'both', (body) => ({ ...body, paymentId: 'PAY/1' })],
  ['paymentId not a string', 'both', (body) => ({ ...body, paymentId: 42 })],
  ['orderId missing', 'both', ({ orderId: _, ...body }) => body],
  ['orderId not a UUID', 'both', (body) => ({ ...body, orderId: 'A-2026-000123' })],
  ['orderId as a URN', 'both', (body) => ({ ...body, orderId: `urn:uuid:${ORDER_ID}` })],
  ['orderId not a string', 'both', (body) => ({ ...body, orderId: 7 })],
  ['occurredAt missing', 'both', ({ occurredAt: _, ...body }) => body],
  ['occurredAt null', 'both', (body) => ({ ...body, occurredAt: null })],
  ['occurredAt without a time zone', 'both', (body) => ({ ...body, occurredAt: '2026-11-21T10:00:00' })],
  ['occurredAt a date only', 'both', (body) => ({ ...body, occurredAt: '2026-11-21' })],
  ['occurredAt with a space for T', 'both', (body) => ({ ...body, occurredAt: '2026-11-21 10:00:00Z' })],
  ['occurredAt a day that does not exist', 'both', (body) => ({ ...body, occurredAt: '2026-02-30T10:00:00Z' })],
  ['occurredAt a week date', 'both', (body) => ({ ...body, occurredAt: '2026-W47-6T10:00:00Z' })],
  ['occurredAt a number', 'both', (body) => ({ ...body, occurredAt: 1_790_000_000 })],
  ['amount missing', 'confirmed', ({ amount: _, ...body }) => body],
  ['amount negative', 'confirmed', (body) => ({ ...body, amount: '-1' })],
  ['amount negative as a number', 'confirmed', (body) => ({ ...body, amount: -1 })],
  ['amount with an exponent in a string', 'confirmed', (body) => ({ ...body, amount: '1e3' })],
  ['amount over 1,000,000,000', 'confirmed', (body) => ({ ...body, amount: '1000000001' })],
  ['amount over 1,000,000,000 as a number', 'confirmed', (body) => ({ ...body, amount: 1_000_000_001 })],
  ['amount with a thousands separator', 'confirmed', (body) => ({ ...body, amount: '1,000' })],
  [
    'amount with more decimals than the currency',
    'confirmed',
    (body) => ({ ...body, currency: 'BRL', amount: '45.301' }),
  ],
  [
    'amount as a number with more decimals than the currency',
    'confirmed',
    (body) => ({ ...body, currency: 'JPY', amount: 4.5 }),
  ],
  ['amount a boolean', 'confirmed', (body) => ({ ...body, amount: true })],
  ['currency missing', 'confirmed', ({ currency: _, ...body }) => body],
  ['currency without a minor unit', 'confirmed', (body) => ({ ...body, currency: 'XAU' })],
  ['currency unknown', 'confirmed', (body) => ({ ...body, currency: 'ABC' })],
  ['reason missing', 'rejected', ({ reason: _, ...body }) => body],
  ['reason empty', 'rejected', (body) => ({ ...body, reason: '' })],
  ['reason of 501 characters', 'rejected', (body) => ({ ...body, reason: 'é'.repeat(501) })],
  ['reason with NUL', 'rejected', (body) => ({ ...body, reason: 'card\u0000declined' })],
  ['reason not a string', 'rejected', (body) => ({ ...body, reason: ['card declined'] })],
  ['an array, not an object', 'both', (body) => [body]],
  ['a string, not an object', 'both', () => 'PAY-1'],
];

const SCHEMA_OF: Record<PaymentOutcome, string> = { confirmed: 'PaymentConfirmed', rejected: 'PaymentRejected' };

/** The payment as the service reads it: the same bytes through its decoder and its field readers. */
function serviceReads(body: unknown, outcome: PaymentOutcome): 'valid' | 'invalid-payment' {
  const decoded = decodeJsonMessage(Buffer.from(JSON.stringify(body)), 4 * 1024 * 1024, PAYMENT_MESSAGE);
  try {
    parsePaymentNotice(decoded, outcome);
    return 'valid';
  } catch (error) {
    if (error instanceof InvalidPaymentError) return 'invalid-payment';
    throw error;
  }
}

describe('docs/asyncapi.yaml, the lifecycle', () => {
  let contract: AsyncApiContract;

  beforeAll(async () => {
    contract = await loadAsyncApi();
  }, 60_000);

  it('holds examples that its own schemas accept', () => {
    const examples = [...contract.messageExamples()].filter(([, payloads]) => payloads.length > 0);
    expect(examples.map(([name]) => name)).toEqual(
      expect.arrayContaining(['PaymentConfirmed', 'PaymentRejected', 'OrderPaid', 'OrderCancelled']),
    );
    for (const [name, payloads] of examples) {
      const validate = contract.payloadValidator(name);
      payloads.forEach((payload) =>
        expect(validate(payload), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true),
      );
    }
  });

  it('accepts every valid payment, as the service does', () => {
    fc.assert(
      fc.property(validPayment, ({ outcome, body }) => {
        const validate = contract.payloadValidator(SCHEMA_OF[outcome]);
        expect(validate(body), `${JSON.stringify(body)}: ${JSON.stringify(validate.errors)}`).toBe(true);
        expect(serviceReads(body, outcome)).toBe('valid');
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it.each(BROKEN_PAYMENTS)('refuses a payment with %s, as the service does', (_rule, applies, breaks) => {
    fc.assert(
      fc.property(
        validPayment.filter(({ outcome }) => applies === 'both' || outcome === applies),
        ({ outcome, body }) => {
          const broken = breaks(body);
          expect(contract.payloadValidator(SCHEMA_OF[outcome])(broken), JSON.stringify(broken)).toBe(false);
          expect(serviceReads(broken, outcome)).toBe('invalid-payment');
        },
      ),
      { numRuns: 20 },
    );
  });

  describe('the status events as the service renders them', () => {
    const PAYMENT_SYSTEM: ChangeOrigin = { source: 'amqp', actor: 'payment.confirmed', correlationId: 'corr-1' };
    const BACK_OFFICE: ChangeOrigin = { source: 'http', actor: '0123456789ab', correlationId: null };
    let clock = Date.parse('2026-11-21T10:00:00.000Z');
    const at = () => new Date((clock += 1_000));

    function calculated(currency: string, unitPrice: string, customerId?: string): Order {
      const placed = PlacedOrder.parse(
        anOrderMessage({
          currency,
          customerId,
          items: [anItem({ unitPrice, quantity: 3 }), anItem({ productId: 'P-7', name: undefined, unitPrice })],
        }),
      );
      const order = Order.receive({ id: randomUUID(), placed, correlationId: null, receivedAt: at() });
      order.calculate(PRODUCT_A_ORIGIN, at());
      order.pullEvents();
      return order;
    }

    const confirm = (order: Order, paymentId = 'PAY-9F2C') =>
      order.confirmPayment({ paymentId, amount: order.total as Money }, PAYMENT_SYSTEM, at());
    const reject = (order: Order) =>
      order.rejectPayment({ paymentId: 'PAY-9F2B', reason: 'card declined' }, PAYMENT_SYSTEM, at());

    /** Each way an order moves, from a calculated order of its own; `messages` are every event on the way, rendered. */
    const LIVES: readonly [life: string, currency: string, live: (order: Order) => void][] = [
      [
        'paid, shipped, delivered (BRL)',
        'BRL',
        (order) => {
          confirm(order);
          order.ship({ carrier: 'Correios', trackingCode: 'BR123' }, BACK_OFFICE, at());
          order.deliver(BACK_OFFICE, at());
        },
      ],
      [
        'rejected, then paid, then shipped without carrier (JPY)',
        'JPY',
        (order) => {
          reject(order);
          confirm(order);
          order.ship({ carrier: null, trackingCode: null }, BACK_OFFICE, at());
        },
      ],
      [
        'paid, then cancelled (KWD)',
        'KWD',
        (order) => {
          confirm(order);
          order.cancel('customer asked', BACK_OFFICE, at());
        },
      ],
      [
        'rejected, then cancelled without a reason (CLF)',
        'CLF',
        (order) => {
          reject(order);
          order.cancel(null, BACK_OFFICE, at());
        },
      ],
      ['cancelled at once (USD)', 'USD', (order) => order.cancel('duplicate order', BACK_OFFICE, at())],
    ];

    const PRICE_OF: Record<string, string> = { BRL: '19.90', JPY: '1500', KWD: '1.125', CLF: '0.0125', USD: '5' };

    it.each(LIVES)('validates every message of an order %s', (_life, currency, live) => {
      const order = calculated(currency, PRICE_OF[currency], currency === 'USD' ? undefined : 'C-42');
      live(order);
      const events = order.pullEvents();
      expect(events.length).toBeGreaterThan(0);
      for (const event of events) {
        const message = JSON.parse(JSON.stringify(toOrderEventMessage(event as never))) as { eventType: string };
        const validate = contract.payloadValidator(message.eventType);
        expect(validate(message), `${JSON.stringify(message)}: ${JSON.stringify(validate.errors)}`).toBe(true);
      }
    });

    it('covers every status event, and refuses one that breaks its type', () => {
      const order = calculated('BRL', '19.90');
      reject(order);
      confirm(order);
      order.ship({ carrier: 'Correios', trackingCode: null }, BACK_OFFICE, at());
      order.deliver(BACK_OFFICE, at());
      const cancelled = calculated('BRL', '19.90');
      confirm(cancelled);
      cancelled.cancel('customer asked', BACK_OFFICE, at());
      const messages = [...order.pullEvents(), ...cancelled.pullEvents()].map(
        (event) => JSON.parse(JSON.stringify(toOrderEventMessage(event as never))) as Record<string, unknown>,
      );
      expect(sorted(messages.map(({ eventType }) => String(eventType)))).toEqual(
        sorted(['OrderPaid', 'OrderPaymentFailed', 'OrderShipped', 'OrderDelivered', 'OrderCancelled']),
      );
      for (const message of messages) {
        const validate = contract.payloadValidator(String(message.eventType));
        expect(validate(message)).toBe(true);
        expect(validate({ ...message, version: 1 }), 'version 1 is the calculation').toBe(false);
        expect(validate({ ...message, status: 'CALCULATED' })).toBe(false);
        expect(validate({ ...message, extra: true }), 'an unknown member').toBe(false);
        expect(validate({ ...message, details: { ...(message.details as object), extra: 1 } })).toBe(false);
      }
      const paid = messages.find(({ eventType }) => eventType === 'OrderPaid') as Record<string, unknown>;
      expect(
        contract.payloadValidator('OrderPaid')({ ...paid, details: { ...(paid.details as object), amount: '39.8' } }),
      ).toBe(false);
      const cancel = messages.find(({ eventType }) => eventType === 'OrderCancelled') as Record<string, unknown>;
      expect(cancel.details).toEqual({ reason: 'customer asked', wasPaid: true });
      expect(
        contract.payloadValidator('OrderCancelled')({ ...cancel, details: { reason: null, wasPaid: false } }),
        'wasPaid says whether previousStatus was PAID',
      ).toBe(false);
    });

    it('renders OrderCalculated as its schema says', () => {
      const placed = PlacedOrder.parse(anOrderMessage({ currency: 'KWD', items: [anItem({ unitPrice: '1.125' })] }));
      const order = Order.receive({ id: randomUUID(), placed, correlationId: 'c-1', receivedAt: at() });
      order.calculate(PRODUCT_A_ORIGIN, at());
      const [, calculatedEvent] = order.pullEvents();
      const message = JSON.parse(JSON.stringify(toOrderEventMessage(calculatedEvent as never))) as unknown;
      const validate = contract.payloadValidator('OrderCalculated');
      expect(validate(message), JSON.stringify(validate.errors)).toBe(true);
    });
  });
});
