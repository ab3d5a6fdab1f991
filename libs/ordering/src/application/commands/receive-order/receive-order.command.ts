import { Command } from '@nestjs/cqrs';

export interface DeliveryMetadata {
  readonly messageId: string | null;
  readonly correlationId: string | null;
  /** The routing key the message was published with: the actor of its changes in the order's history. */
  readonly routingKey: string;
}

export type ReceiveOrderResult =
  | { readonly outcome: 'accepted'; readonly orderId: string; readonly externalId: string }
  | { readonly outcome: 'duplicate'; readonly orderId: string; readonly externalId: string };

/**
 * Product A placed an order. `body` is the decoded JSON message, numbers still as written
 * (NumberLiteral), so validation sees exactly what was sent.
 */
export class ReceiveOrderCommand extends Command<ReceiveOrderResult> {
  constructor(
    readonly body: unknown,
    readonly delivery: DeliveryMetadata,
  ) {
    super();
  }
}
