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

/** Everything the bench and the service declared under the bench's names. */
export async function deleteContractTopology(channel: Channel, names: ContractNames): Promise<void> {
  for (const queue of [names.INBOUND_QUEUE, names.DEAD_LETTER_QUEUE, names.EVENTS_QUEUE])
    await channel.deleteQueue(queue).catch(() => undefined);
  for (const exchange of [names.INBOUND_EXCHANGE, names.DEAD_LETTER_EXCHANGE, names.EVENTS_EXCHANGE])
    await channel.deleteExchange(exchange).catch(() => undefined);
}
