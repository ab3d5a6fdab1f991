import type { ConfirmChannel } from 'amqplib';

/** Orders as product A sends them: 1–5 lines, a few thousand customers, prices in BRL; the same index gives the same order. */
export function benchOrder(tag: string, index: number): Record<string, unknown> {
  return {
    externalId: `${tag}-${index}`,
    customerId: `C-${index % 5000}`,
    currency: 'BRL',
    placedAt: new Date(Date.UTC(2026, 10, 21) + index * 1000).toISOString(),
    items: Array.from({ length: 1 + (index % 5) }, (_, line) => ({
      productId: `P-${(index * 7 + line) % 1000}`,
      name: `Product ${line}`,
      unitPrice: ((index % 97) + line + 0.99).toFixed(2),
      quantity: 1 + (line % 3),
    })),
  };
}

/** Publishes with confirms, respecting the channel's back-pressure. */
export async function publishOrder(
  channel: ConfirmChannel,
  exchange: string,
  routingKey: string,
  order: Record<string, unknown>,
): Promise<void> {
  const accepted = channel.publish(exchange, routingKey, Buffer.from(JSON.stringify(order)), {
    persistent: true,
    contentType: 'application/json',
  });
  if (!accepted) await new Promise((resolve) => channel.once('drain', resolve));
}
