import { DomainEvent, type DomainEventProps } from './domain-event.js';

export interface OrderReceivedProps extends DomainEventProps {
  readonly orderId: string;
  readonly externalId: string;
}

export class OrderReceived extends DomainEvent {
  override readonly eventType = 'OrderReceived';
  readonly orderId: string;
  readonly externalId: string;

  constructor(props: OrderReceivedProps) {
    super(props);
    this.orderId = props.orderId;
    this.externalId = props.externalId;
  }
}
