import { DecimalTotals, formatMinorUnits, SeededRandom } from '@app/simulators';

/** What product A means each message to be, and so what the service should do with it. */
export type MessageKind = 'new' | 'duplicate' | 'conflict' | 'invalid-json' | 'invalid-order';

export interface OutgoingMessage {
  readonly kind: MessageKind;
  /** For an invalid order, what is wrong with it. */
  readonly flaw?: string;
  readonly body: Buffer;
}

export interface MixSettings {
  readonly seed: number;
  /** Prefix of every externalId, so that runs do not collide (or, repeated, replay as duplicates). */
  readonly idPrefix: string;
  /** placedAt of the first order; each next one is a second later. */
  readonly epoch: Date;
  /** Shares of all messages, each from 0 to 1, together at most 1. */
  readonly duplicates: number;
  readonly conflicts: number;
  readonly invalid: number;
}

interface Line {
  productId: string;
  name: string;
  /** The price in minor units; written as a decimal string or a JSON number. */
  priceMinorUnits: number;
  priceAsNumber: boolean;
  quantity: number;
}

interface Order {
  externalId: string;
  customerId: string;
  currency: string;
  placedAt: string;
  lines: Line[];
}

/** The contract's currencies with their ISO 4217 decimal places, weighted as a Brazilian shop sells. */
const CURRENCIES: readonly (readonly [string, number])[] = [
  ...Array.from({ length: 14 }, () => ['BRL', 2] as const),
  ['USD', 2],
  ['EUR', 2],
  ['JPY', 0],
  ['KWD', 3],
];
const PRODUCT_NAMES = ['Mouse', 'Teclado', 'Café ☕', 'Caderno', 'Monitor 27"', 'Cabo USB-C', 'Pão de queijo', '緑茶'];
/** Duplicates repeat one of the last orders sent, as a retrying producer does. */
const RECENT_ORDERS = 1_000;
/**
 * A conflicting duplicate reuses the externalId of an order sent at least this many messages
 * earlier. The service calls "first" the order it commits first, and deliveries close together in
 * the queue may commit in either order (two batches in flight, several replicas); one sent more
 * than a prefetch window (500) later cannot overtake its original. Real conflicts come much later.
 */
const CONFLICT_DISTANCE = 1_000;

const INVALID_ORDERS: readonly (readonly [string, (order: Record<string, unknown>) => void])[] = [
  ['currency missing', (order) => delete order.currency],
  ['unknown currency', (order) => (order.currency = 'XYZ')],
  ['too many decimals', (order) => Object.assign(order, { currency: 'BRL', items: [item({ unitPrice: '19.999' })] })],
  ['quantity 0', (order) => (order.items = [item({ quantity: 0 })])],
  ['no items', (order) => (order.items = [])],
  ['externalId with a space', (order) => (order.externalId = `${String(order.externalId)} x`)],
];
const item = (overrides: Record<string, unknown>) => ({ productId: 'P-1', unitPrice: '1', quantity: 1, ...overrides });

/**
 * Product A's traffic, reproducible from a seed: new orders of 1–5 lines in several currencies,
 * duplicates (resent as they were, or written differently with the same content), conflicting
 * duplicates (a known externalId with other content) and invalid messages. It keeps the totals of
 * the new orders, so whoever reads the service's stats can check them to the cent.
 */
export class OrderMix {
  readonly totals = new DecimalTotals();
  private readonly random: SeededRandom;
  /** Orders sent, oldest first, with the index of the message that carried them. */
  private readonly sent: { order: Order; message: number }[] = [];
  private messages = 0;
  private created = 0;

  constructor(private readonly settings: MixSettings) {
    if (settings.duplicates + settings.conflicts + settings.invalid > 1) {
      throw new Error('the shares of duplicates, conflicts and invalid messages add up to more than 1');
    }
    this.random = new SeededRandom(settings.seed);
  }

  next(): OutgoingMessage {
    const { duplicates, conflicts, invalid } = this.settings;
    const index = this.messages++;
    const draw = this.random.next();
    const recent = this.sent.slice(-RECENT_ORDERS);
    const tooRecent = this.sent.findIndex((sent) => sent.message > index - CONFLICT_DISTANCE);
    const old = tooRecent === -1 ? this.sent : this.sent.slice(0, tooRecent);
    if (recent.length > 0 && draw < duplicates) return this.duplicate(this.random.pick(recent).order);
    if (old.length > 0 && draw >= duplicates && draw < duplicates + conflicts) {
      return this.conflict(this.random.pick(old).order);
    }
    if (draw >= duplicates + conflicts && draw < duplicates + conflicts + invalid) return this.invalid();
    const order = this.newOrder();
    this.sent.push({ order, message: index });
    if (this.sent.length > CONFLICT_DISTANCE + RECENT_ORDERS) this.sent.shift();
    for (const line of order.lines) {
      this.totals.addMinorUnits(order.currency, BigInt(line.priceMinorUnits * line.quantity), scaleOf(order.currency));
    }
    return { kind: 'new', body: encode(order) };
  }

  private newOrder(): Order {
    const index = this.created++;
    const [currency, scale] = this.random.pick(CURRENCIES);
    return {
      externalId: `${this.settings.idPrefix}-${index}`,
      customerId: `C-${this.random.integer(1, 500)}`,
      currency,
      placedAt: new Date(this.settings.epoch.getTime() + index * 1_000).toISOString(),
      lines: Array.from({ length: this.random.integer(1, 5) }, () => ({
        productId: `P-${this.random.integer(1, 200)}`,
        name: this.random.pick(PRODUCT_NAMES),
        priceMinorUnits: this.random.integer(1, 500 * 10 ** scale),
        priceAsNumber: this.random.next() < 0.2,
        quantity: this.random.next() < 0.9 ? this.random.integer(1, 5) : this.random.integer(6, 20),
      })),
    };
  }

  /** Half resent byte for byte, half rewritten: keys reversed, each price in the other notation. */
  private duplicate(original: Order): OutgoingMessage {
    if (this.random.next() < 0.5) return { kind: 'duplicate', body: encode(original) };
    const rewritten = {
      ...original,
      lines: original.lines.map((line) => ({ ...line, priceAsNumber: !line.priceAsNumber })),
    };
    const reversed = Object.fromEntries(Object.entries(toMessage(rewritten)).reverse());
    return { kind: 'duplicate', body: Buffer.from(JSON.stringify(reversed)) };
  }

  private conflict(original: Order): OutgoingMessage {
    const [first, ...rest] = original.lines;
    return {
      kind: 'conflict',
      body: encode({ ...original, lines: [{ ...first, quantity: first.quantity + 1 }, ...rest] }),
    };
  }

  private invalid(): OutgoingMessage {
    const order = toMessage(this.newOrder());
    if (this.random.next() < 0.25) {
      const text = JSON.stringify(order);
      return { kind: 'invalid-json', body: Buffer.from(text.slice(0, text.length >> 1)) };
    }
    const [flaw, spoil] = this.random.pick(INVALID_ORDERS);
    spoil(order);
    return { kind: 'invalid-order', flaw, body: Buffer.from(JSON.stringify(order)) };
  }
}

function scaleOf(currency: string): number {
  return CURRENCIES.find(([code]) => code === currency)![1];
}

/** The order as the contract's JSON message. */
function toMessage(order: Order): Record<string, unknown> {
  const scale = scaleOf(order.currency);
  return {
    externalId: order.externalId,
    customerId: order.customerId,
    currency: order.currency,
    placedAt: order.placedAt,
    items: order.lines.map((line) => {
      const price = formatMinorUnits(BigInt(line.priceMinorUnits), scale);
      return {
        productId: line.productId,
        name: line.name,
        // A JSON number of at most 12 significant digits is exact in a double and prints as written.
        unitPrice: line.priceAsNumber ? Number(price) : price,
        quantity: line.quantity,
      };
    }),
  };
}

function encode(order: Order): Buffer {
  return Buffer.from(JSON.stringify(toMessage(order)));
}
