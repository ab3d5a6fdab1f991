import type { ConsumerDeserializer, IncomingEvent } from '@nestjs/microservices';

export const ORDER_PLACED_PATTERN = 'order.placed';

/**
 * Product A sends plain JSON, not Nest's `{ pattern, data }` envelope: every message on the
 * inbound queue is an OrderPlaced. The handler reads the raw bytes from the context instead of the
 * transport's JSON.parse result, which would have turned prices into floats.
 */
export class OrderPlacedDeserializer implements ConsumerDeserializer {
  deserialize(): IncomingEvent {
    return { pattern: ORDER_PLACED_PATTERN, data: null };
  }
}
