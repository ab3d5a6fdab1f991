import { randomUUID } from 'node:crypto';

/** Minor-unit digits of the currencies the bench sends; anything else is priced in hundredths. */
const DECIMALS: Readonly<Record<string, number>> = { BRL: 2, USD: 2, EUR: 2, JPY: 0, KWD: 3 };

interface PlacedLine {
  readonly productId: string;
  readonly name?: string | null;
  readonly unitPrice: string | number;
  readonly quantity: number;
}

interface PlacedOrder {
  readonly externalId: string;
  readonly customerId?: string | null;
  readonly currency: string;
  readonly items: readonly PlacedLine[];
}

export interface CalculatedLine {
  readonly productId: string;
  readonly name: string | null;
  readonly unitPrice: string;
  readonly quantity: number;
}

/** One order as the yardstick stores and announces it: totals exact, in the currency's decimals. */
export interface CalculatedOrder {
  readonly orderId: string;
  readonly eventId: string;
  readonly externalId: string;
  readonly customerId: string | null;
  readonly currency: string;
  readonly total: string;
  readonly lines: readonly CalculatedLine[];
  /** The OrderCalculated message, rendered once: the read row's document and the outbox payload. */
  readonly message: string;
}

function toMinor(price: string | number, decimals: number): bigint {
  const [whole, fraction = ''] = String(price).split('.');
  if (fraction.length > decimals) throw new Error(`price ${price} has more than ${decimals} decimals`);
  return BigInt(whole) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, '0') || '0');
}

function formatMinor(minor: bigint, decimals: number): string {
  if (decimals === 0) return minor.toString();
  const digits = minor.toString().padStart(decimals + 1, '0');
  return `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

export function calculate(body: Buffer): CalculatedOrder {
  const placed = JSON.parse(body.toString('utf8')) as PlacedOrder;
  const decimals = DECIMALS[placed.currency] ?? 2;
  let total = 0n;
  const items = placed.items.map((item) => {
    const unitPrice = toMinor(item.unitPrice, decimals);
    const lineTotal = unitPrice * BigInt(item.quantity);
    total += lineTotal;
    return {
      productId: item.productId,
      name: item.name ?? null,
      unitPrice: formatMinor(unitPrice, decimals),
      quantity: item.quantity,
      lineTotal: formatMinor(lineTotal, decimals),
    };
  });
  const order = {
    orderId: randomUUID(),
    eventId: randomUUID(),
    externalId: placed.externalId,
    customerId: placed.customerId ?? null,
    currency: placed.currency,
    total: formatMinor(total, decimals),
  };
  const message = JSON.stringify({
    eventId: order.eventId,
    eventType: 'OrderCalculated',
    occurredAt: new Date().toISOString(),
    orderId: order.orderId,
    externalId: order.externalId,
    customerId: order.customerId,
    status: 'CALCULATED',
    currency: order.currency,
    total: order.total,
    itemCount: items.length,
    items,
  });
  return { ...order, lines: items, message };
}
