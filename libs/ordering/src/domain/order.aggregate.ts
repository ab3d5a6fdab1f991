import { AggregateRoot } from './aggregate-root.js';
import type { ChangeOrigin } from './change-origin.js';
import { Currency } from './currency.value-object.js';
import { OrderCalculated } from './events/order-calculated.event.js';
import { OrderReceived } from './events/order-received.event.js';
import {
  OrderCancelled,
  OrderDelivered,
  OrderPaid,
  OrderPaymentFailed,
  OrderShipped,
  type OrderStatusChanged,
  type OrderStatusChangedProps,
} from './events/order-status-changed.event.js';
import { Money } from './money.value-object.js';
import { CHANGE_PARTICIPLE, ORDER_LIFECYCLE, OrderChange } from './order-lifecycle.js';
import { OrderLine } from './order-line.js';
import { OrderStatus } from './order-status.js';
import { InvalidTransitionError, PaymentMismatchError } from './order.errors.js';
import type { OrderSnapshot } from './order.snapshot.js';
import type { PlacedOrder } from './placed-order.value-object.js';

/** When the order reached each status after its calculation; null until it does. */
export interface StatusTimes {
  readonly paidAt: Date | null;
  readonly shippedAt: Date | null;
  readonly deliveredAt: Date | null;
  readonly cancelledAt: Date | null;
}

interface OrderState extends StatusTimes {
  readonly id: string;
  readonly externalId: string;
  readonly customerId: string | null;
  readonly currency: Currency;
  readonly placedAt: Date | null;
  readonly status: OrderStatus;
  readonly total: Money | null;
  readonly receivedAt: Date;
  readonly calculatedAt: Date | null;
  /** The payment that paid the order: the same payment confirmed again is no change. */
  readonly paymentId: string | null;
  readonly version: number;
  readonly storedVersion: number;
  readonly fingerprint: string;
  readonly correlationId: string | null;
  readonly lines: readonly OrderLine[];
}

export interface ReceiveOrderProps {
  readonly id: string;
  readonly placed: PlacedOrder;
  readonly correlationId: string | null;
  readonly receivedAt: Date;
}

export interface PaymentConfirmation {
  readonly paymentId: string;
  readonly amount: Money;
}

export interface PaymentRejection {
  readonly paymentId: string;
  readonly reason: string;
}

export interface Shipment {
  readonly carrier: string | null;
  readonly trackingCode: string | null;
}

const NOT_YET: StatusTimes = { paidAt: null, shippedAt: null, deliveredAt: null, cancelledAt: null };

export class Order extends AggregateRoot {
  private constructor(private state: OrderState) {
    super();
  }

  static receive({ id, placed, correlationId, receivedAt }: ReceiveOrderProps): Order {
    const order = new Order({
      id,
      externalId: placed.externalId,
      customerId: placed.customerId,
      currency: placed.currency,
      placedAt: placed.placedAt,
      status: OrderStatus.Received,
      total: null,
      receivedAt,
      calculatedAt: null,
      ...NOT_YET,
      paymentId: null,
      version: 0,
      storedVersion: 0,
      fingerprint: placed.fingerprint,
      correlationId,
      lines: placed.lines.map((line, index) => new OrderLine({ lineNo: index + 1, ...line })),
    });
    order.apply(new OrderReceived({ orderId: id, externalId: placed.externalId, occurredAt: receivedAt }));
    return order;
  }

  /** Rebuilds a stored order; nothing happened, so no event is recorded. */
  static restore(snapshot: OrderSnapshot): Order {
    const currency = Currency.of(snapshot.currency);
    return new Order({
      id: snapshot.id,
      externalId: snapshot.externalId,
      customerId: snapshot.customerId,
      currency,
      placedAt: snapshot.placedAt,
      status: snapshot.status,
      total: snapshot.total === null ? null : Money.parse(snapshot.total, currency),
      receivedAt: snapshot.receivedAt,
      calculatedAt: snapshot.calculatedAt,
      paidAt: snapshot.paidAt,
      shippedAt: snapshot.shippedAt,
      deliveredAt: snapshot.deliveredAt,
      cancelledAt: snapshot.cancelledAt,
      paymentId: snapshot.paymentId,
      version: snapshot.version,
      storedVersion: snapshot.version,
      fingerprint: snapshot.fingerprint,
      correlationId: snapshot.correlationId,
      lines: snapshot.lines.map(
        (line) =>
          new OrderLine({
            lineNo: line.lineNo,
            productId: line.productId,
            name: line.name,
            unitPrice: Money.parse(line.unitPrice, currency),
            quantity: line.quantity,
          }),
      ),
    });
  }

  calculate(origin: ChangeOrigin, at: Date): void {
    if (this.state.status !== OrderStatus.Received) {
      throw new InvalidTransitionError(this.id, this.state.status, 'calculated');
    }
    const total = this.lines.reduce((sum, line) => sum.add(line.lineTotal()), Money.zero(this.currency));
    const version = this.state.version + 1;
    this.state = { ...this.state, status: OrderStatus.Calculated, total, calculatedAt: at, version };
    this.apply(
      new OrderCalculated({
        orderId: this.id,
        externalId: this.externalId,
        customerId: this.customerId,
        currency: this.currency,
        total,
        lines: this.lines,
        version,
        origin,
        correlationId: this.correlationId,
        occurredAt: at,
      }),
    );
  }

  /** Refused once the order is paid by another payment, shipped, delivered or cancelled (someone must refund it). */
  confirmPayment(payment: PaymentConfirmation, origin: ChangeOrigin, at: Date): void {
    if (this.status === OrderStatus.Paid && this.state.paymentId === payment.paymentId) {
      this.checkAmount(payment);
      return;
    }
    this.change(OrderChange.ConfirmPayment, origin, at, (props) => {
      this.checkAmount(payment);
      this.state = { ...this.state, paidAt: at, paymentId: payment.paymentId };
      const { paymentId, amount } = payment;
      return new OrderPaid(props, { paymentId, amount: amount.toString(), currency: amount.currency.code });
    });
  }

  rejectPayment({ paymentId, reason }: PaymentRejection, origin: ChangeOrigin, at: Date): void {
    this.change(OrderChange.RejectPayment, origin, at, (props) => new OrderPaymentFailed(props, { paymentId, reason }));
  }

  ship({ carrier, trackingCode }: Shipment, origin: ChangeOrigin, at: Date): void {
    this.change(OrderChange.Ship, origin, at, (props) => {
      this.state = { ...this.state, shippedAt: at };
      return new OrderShipped(props, { carrier, trackingCode });
    });
  }

  deliver(origin: ChangeOrigin, at: Date): void {
    this.change(OrderChange.Deliver, origin, at, (props) => {
      this.state = { ...this.state, deliveredAt: at };
      return new OrderDelivered(props);
    });
  }

  cancel(reason: string | null, origin: ChangeOrigin, at: Date): void {
    const wasPaid = this.status === OrderStatus.Paid;
    this.change(OrderChange.Cancel, origin, at, (props) => {
      this.state = { ...this.state, cancelledAt: at };
      return new OrderCancelled(props, { reason, wasPaid });
    });
  }

  /**
   * Applies `change` as the lifecycle table says: refused (a typed error naming the status), no
   * change (no event, same version), or a move to the next status with one event and version + 1.
   */
  private change(
    change: OrderChange,
    origin: ChangeOrigin,
    at: Date,
    record: (props: OrderStatusChangedProps) => OrderStatusChanged,
  ): void {
    const outcome = ORDER_LIFECYCLE[this.status][change];
    if (outcome === 'no-change') return;
    if (outcome === 'refused') throw new InvalidTransitionError(this.id, this.status, CHANGE_PARTICIPLE[change]);
    const props: OrderStatusChangedProps = {
      orderId: this.id,
      externalId: this.externalId,
      customerId: this.customerId,
      status: outcome,
      previousStatus: this.status,
      version: this.version + 1,
      origin,
      occurredAt: at,
    };
    const event = record(props);
    this.state = { ...this.state, status: outcome, version: props.version };
    this.apply(event);
  }

  private checkAmount({ paymentId, amount }: PaymentConfirmation): void {
    const total = this.total;
    if (total === null || !amount.equals(total)) {
      throw new PaymentMismatchError(paymentId, describe(amount), this.id, total ? describe(total) : 'nothing yet');
    }
  }

  toSnapshot(): OrderSnapshot {
    return {
      id: this.id,
      externalId: this.externalId,
      customerId: this.customerId,
      currency: this.currency.code,
      placedAt: this.placedAt,
      status: this.status,
      total: this.total?.toString() ?? null,
      receivedAt: this.receivedAt,
      calculatedAt: this.calculatedAt,
      ...this.statusTimes,
      paymentId: this.state.paymentId,
      version: this.version,
      fingerprint: this.fingerprint,
      correlationId: this.correlationId,
      lines: this.lines.map((line) => ({
        lineNo: line.lineNo,
        productId: line.productId,
        name: line.name,
        unitPrice: line.unitPrice.toString(),
        quantity: line.quantity,
      })),
    };
  }

  get id(): string {
    return this.state.id;
  }

  get externalId(): string {
    return this.state.externalId;
  }

  get customerId(): string | null {
    return this.state.customerId;
  }

  get currency(): Currency {
    return this.state.currency;
  }

  get placedAt(): Date | null {
    return this.state.placedAt;
  }

  get status(): OrderStatus {
    return this.state.status;
  }

  /** Null until the order is calculated. */
  get total(): Money | null {
    return this.state.total;
  }

  get receivedAt(): Date {
    return this.state.receivedAt;
  }

  get calculatedAt(): Date | null {
    return this.state.calculatedAt;
  }

  get statusTimes(): StatusTimes {
    const { paidAt, shippedAt, deliveredAt, cancelledAt } = this.state;
    return { paidAt, shippedAt, deliveredAt, cancelledAt };
  }

  /** When the order last changed. */
  get updatedAt(): Date {
    const { cancelledAt, deliveredAt, shippedAt, paidAt, calculatedAt, receivedAt } = this.state;
    return [cancelledAt, deliveredAt, shippedAt, paidAt, calculatedAt].reduce<Date>(
      (latest, time) => (time && time > latest ? time : latest),
      receivedAt,
    );
  }

  /** Grows by one with every change (calculated is version 1); the order's ETag. */
  get version(): number {
    return this.state.version;
  }

  /** The version the order was stored at when loaded: a save succeeds only if it still is. */
  get storedVersion(): number {
    return this.state.storedVersion;
  }

  get fingerprint(): string {
    return this.state.fingerprint;
  }

  get correlationId(): string | null {
    return this.state.correlationId;
  }

  get lines(): readonly OrderLine[] {
    return this.state.lines;
  }

  get itemCount(): number {
    return this.state.lines.length;
  }
}

function describe(amount: Money): string {
  return `${amount.toString()} ${amount.currency.code}`;
}
