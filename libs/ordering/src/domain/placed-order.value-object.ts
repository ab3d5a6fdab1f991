import { createHash } from 'node:crypto';
import type { Currency } from './currency.value-object.js';
import { describeJsonValue, isJsonObject, member } from './json-value.js';
import type { Money } from './money.value-object.js';
import {
  readCurrency,
  readExternalId,
  readOptionalDateTime,
  readOptionalText,
  readQuantity,
  readText,
} from './order-message.reader.js';
import { InvalidOrderError } from './order.errors.js';
import { readUnitPrice } from './unit-price.reader.js';

const MAX_ITEMS = 1000;
const ID_LENGTH = { min: 1, max: 64 } as const;
const NAME_LENGTH = { min: 0, max: 200 } as const;

export interface PlacedOrderLine {
  readonly productId: string;
  readonly name: string | null;
  readonly unitPrice: Money;
  readonly quantity: number;
}

/** An order as a message in the contract's own terms, with nothing but the fields it defines. */
export interface PlacedOrderMessage {
  readonly externalId: string;
  readonly customerId: string | null;
  readonly currency: string;
  readonly placedAt: string | null;
  readonly items: readonly {
    readonly productId: string;
    readonly name: string | null;
    readonly unitPrice: string;
    readonly quantity: number;
  }[];
}

interface PlacedOrderContent {
  readonly externalId: string;
  readonly customerId: string | null;
  readonly currency: Currency;
  readonly placedAt: Date | null;
  readonly lines: readonly PlacedOrderLine[];
}

/** Product A's order, checked field by field against the contract (docs/contract.md, section 1). */
export class PlacedOrder implements PlacedOrderContent {
  readonly externalId: string;
  readonly customerId: string | null;
  readonly currency: Currency;
  readonly placedAt: Date | null;
  readonly lines: readonly PlacedOrderLine[];
  /** Tells a redelivery (same content) from a conflicting reuse of the externalId (different content). */
  readonly fingerprint: string;

  private constructor(content: PlacedOrderContent) {
    this.externalId = content.externalId;
    this.customerId = content.customerId;
    this.currency = content.currency;
    this.placedAt = content.placedAt;
    this.lines = content.lines;
    this.fingerprint = fingerprintOf(content);
  }

  /**
   * Takes the decoded JSON body, whose numbers are NumberLiterals (from the lossless parser) or JS numbers,
   * and throws InvalidOrderError naming the first field, in contract order, that breaks a rule.
   */
  static parse(input: unknown): PlacedOrder {
    if (!isJsonObject(input)) {
      throw new InvalidOrderError('(body)', `must be a JSON object, not ${describeJsonValue(input)}`);
    }
    const externalId = readExternalId(member(input, 'externalId'));
    const customerId = readOptionalText(member(input, 'customerId'), 'customerId', ID_LENGTH);
    const currency = readCurrency(member(input, 'currency'));
    const placedAt = readOptionalDateTime(member(input, 'placedAt'), 'placedAt');
    const lines = readItems(member(input, 'items'), currency);
    return new PlacedOrder({ externalId, customerId, currency, placedAt, lines });
  }

  /**
   * The order written back as a message that parses to an equal order (same fingerprint): small and
   * plain enough to hand between threads, whatever the original body carried beside it.
   */
  toMessage(): PlacedOrderMessage {
    return {
      externalId: this.externalId,
      customerId: this.customerId,
      currency: this.currency.code,
      placedAt: this.placedAt?.toISOString() ?? null,
      items: this.lines.map(({ productId, name, unitPrice, quantity }) => ({
        productId,
        name,
        unitPrice: unitPrice.toString(),
        quantity,
      })),
    };
  }
}

function readItems(value: unknown, currency: Currency): PlacedOrderLine[] {
  if (value === undefined) throw new InvalidOrderError('items', 'is required');
  if (!Array.isArray(value)) {
    throw new InvalidOrderError(
      'items',
      `must be an array of 1 to ${MAX_ITEMS} items, not ${describeJsonValue(value)}`,
    );
  }
  if (value.length === 0) throw new InvalidOrderError('items', 'must have at least 1 item but is empty');
  if (value.length > MAX_ITEMS) {
    throw new InvalidOrderError('items', `must have at most ${MAX_ITEMS} items but has ${value.length}`);
  }
  return value.map((item: unknown, index) => readLine(item, `items[${index}]`, currency));
}

function readLine(item: unknown, path: string, currency: Currency): PlacedOrderLine {
  if (!isJsonObject(item)) throw new InvalidOrderError(path, `must be an object, not ${describeJsonValue(item)}`);
  return {
    productId: readText(member(item, 'productId'), `${path}.productId`, ID_LENGTH),
    name: readOptionalText(member(item, 'name'), `${path}.name`, NAME_LENGTH),
    unitPrice: readUnitPrice(member(item, 'unitPrice'), currency, `${path}.unitPrice`),
    quantity: readQuantity(member(item, 'quantity'), `${path}.quantity`),
  };
}

/**
 * sha256 of the content in one canonical form, so the same order written differently ("19.90" or 19.9,
 * another time zone, extra fields) fingerprints alike. Fingerprints are stored: changing this form
 * turns redeliveries of orders received before the change into conflicts.
 */
function fingerprintOf(content: PlacedOrderContent): string {
  const canonical = JSON.stringify([
    content.externalId,
    content.customerId,
    content.currency.code,
    content.placedAt?.toISOString() ?? null,
    content.lines.map((line) => [line.productId, line.name, line.unitPrice.minorUnits.toString(), line.quantity]),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}
