import type { ChangeOrigin } from '../change-origin.js';
import type { OrderStatus } from '../order-status.js';
import { DomainEvent, type DomainEventProps } from './domain-event.js';

export interface OrderStatusChangedProps extends DomainEventProps {
  readonly orderId: string;
  readonly externalId: string;
  readonly customerId: string | null;
  readonly status: OrderStatus;
  readonly previousStatus: OrderStatus;
  /** The order's version after the change: strictly increasing per order, one per change. */
  readonly version: number;
  readonly origin: ChangeOrigin;
}

/** What an event's `details` may hold: flat, so every consumer reads it the same way. */
export type EventDetails = Readonly<Record<string, string | boolean | null>>;

/** A change of a calculated order's status (docs/contract.md, section 4.3); `details` is its own. */
export abstract class OrderStatusChanged extends DomainEvent {
  abstract readonly details: EventDetails;
  readonly orderId: string;
  readonly externalId: string;
  readonly customerId: string | null;
  readonly status: OrderStatus;
  readonly previousStatus: OrderStatus;
  readonly version: number;
  readonly origin: ChangeOrigin;

  protected constructor(props: OrderStatusChangedProps) {
    super(props);
    this.orderId = props.orderId;
    this.externalId = props.externalId;
    this.customerId = props.customerId;
    this.status = props.status;
    this.previousStatus = props.previousStatus;
    this.version = props.version;
    this.origin = props.origin;
  }
}

export class OrderPaid extends OrderStatusChanged {
  override readonly eventType = 'OrderPaid';

  constructor(
    props: OrderStatusChangedProps,
    readonly details: { readonly paymentId: string; readonly amount: string; readonly currency: string },
  ) {
    super(props);
  }
}

export class OrderPaymentFailed extends OrderStatusChanged {
  override readonly eventType = 'OrderPaymentFailed';

  constructor(
    props: OrderStatusChangedProps,
    readonly details: { readonly paymentId: string; readonly reason: string },
  ) {
    super(props);
  }
}

export class OrderShipped extends OrderStatusChanged {
  override readonly eventType = 'OrderShipped';

  constructor(
    props: OrderStatusChangedProps,
    readonly details: { readonly carrier: string | null; readonly trackingCode: string | null },
  ) {
    super(props);
  }
}

export class OrderDelivered extends OrderStatusChanged {
  override readonly eventType = 'OrderDelivered';
  readonly details: Record<string, never> = {};

  constructor(props: OrderStatusChangedProps) {
    super(props);
  }
}

export class OrderCancelled extends OrderStatusChanged {
  override readonly eventType = 'OrderCancelled';

  constructor(
    props: OrderStatusChangedProps,
    readonly details: { readonly reason: string | null; readonly wasPaid: boolean },
  ) {
    super(props);
  }
}
