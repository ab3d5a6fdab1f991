import type { ChangeOrigin } from '../change-origin.js';
import type { Currency } from '../currency.value-object.js';
import type { Money } from '../money.value-object.js';
import type { OrderLine } from '../order-line.js';
import { DomainEvent, type DomainEventProps } from './domain-event.js';

export interface OrderCalculatedProps extends DomainEventProps {
  readonly orderId: string;
  readonly externalId: string;
  readonly customerId: string | null;
  readonly currency: Currency;
  readonly total: Money;
  readonly lines: readonly OrderLine[];
  /** 1: the first version a calculated order has. */
  readonly version: number;
  readonly origin: ChangeOrigin;
  /** The inbound message's correlation_id, carried through to the outgoing message. */
  readonly correlationId: string | null;
}

export class OrderCalculated extends DomainEvent {
  override readonly eventType = 'OrderCalculated';
  readonly orderId: string;
  readonly externalId: string;
  readonly customerId: string | null;
  readonly currency: Currency;
  readonly total: Money;
  readonly lines: readonly OrderLine[];
  readonly version: number;
  readonly origin: ChangeOrigin;
  readonly correlationId: string | null;

  constructor(props: OrderCalculatedProps) {
    super(props);
    this.orderId = props.orderId;
    this.externalId = props.externalId;
    this.customerId = props.customerId;
    this.currency = props.currency;
    this.total = props.total;
    this.lines = props.lines;
    this.version = props.version;
    this.origin = props.origin;
    this.correlationId = props.correlationId;
  }
}
