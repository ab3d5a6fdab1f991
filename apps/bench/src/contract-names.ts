import type { Channel } from 'amqplib';

/** The service's broker names, as its environment spells them, prefixed so the bench has its own. */
export function contractNames(tag: string) {
  return {
    INBOUND_EXCHANGE: `${tag}.orders.inbound`,
    INBOUND_ROUTING_KEY: 'order.placed',
    INBOUND_QUEUE: `${tag}.order-service.order-placed`,
    DEAD_LETTER_EXCHANGE: `${tag}.orders.inbound.dlx`,
    DEAD_LETTER_QUEUE: `${tag}.order-service.order-placed.dlq`,
    EVENTS_EXCHANGE: `${tag}.orders.events`,
    EVENTS_ROUTING_KEY: 'order.calculated',
    EVENTS_QUEUE: `${tag}.order.calculated`,
    STATUS_EVENTS_QUEUE: `${tag}.order.status-changed`,
    PAYMENTS_EXCHANGE: `${tag}.payments.events`,
    PAYMENTS_CONFIRMED_ROUTING_KEY: 'payment.confirmed',
    PAYMENTS_QUEUE: `${tag}.order-service.payments`,
    PAYMENTS_DEAD_LETTER_EXCHANGE: `${tag}.order-service.payments.dlx`,
    PAYMENTS_DEAD_LETTER_QUEUE: `${tag}.order-service.payments.dlq`,
  };
}

export type ContractNames = ReturnType<typeof contractNames>;

/**
 * What products A and B may declare themselves (the contract's plain durable exchanges, queues and
 * bindings), so that the backlog waits in the service's queue before the service starts.
 */
export async function declareProductsSide(channel: Channel, names: ContractNames): Promise<void> {
  await channel.assertExchange(names.INBOUND_EXCHANGE, 'topic', { durable: true });
  await channel.assertQueue(names.INBOUND_QUEUE, { durable: true });
  await channel.bindQueue(names.INBOUND_QUEUE, names.INBOUND_EXCHANGE, names.INBOUND_ROUTING_KEY);
  await channel.assertExchange(names.EVENTS_EXCHANGE, 'topic', { durable: true });
  await channel.assertQueue(names.EVENTS_QUEUE, { durable: true });
  await channel.bindQueue(names.EVENTS_QUEUE, names.EVENTS_EXCHANGE, names.EVENTS_ROUTING_KEY);
}

/** Everything the service and its peers declared under these names (the bench's, or a test's). */
export async function deleteContractTopology(channel: Channel, names: ContractNames): Promise<void> {
  const queues = [
    names.INBOUND_QUEUE,
    names.DEAD_LETTER_QUEUE,
    names.EVENTS_QUEUE,
    names.STATUS_EVENTS_QUEUE,
    names.PAYMENTS_QUEUE,
    names.PAYMENTS_DEAD_LETTER_QUEUE,
  ];
  for (const queue of queues) await channel.deleteQueue(queue).catch(() => undefined);
  const exchanges = [
    names.INBOUND_EXCHANGE,
    names.DEAD_LETTER_EXCHANGE,
    names.EVENTS_EXCHANGE,
    names.PAYMENTS_EXCHANGE,
    names.PAYMENTS_DEAD_LETTER_EXCHANGE,
  ];
  for (const exchange of exchanges) await channel.deleteExchange(exchange).catch(() => undefined);
}
