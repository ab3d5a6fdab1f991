import { AggregateRoot } from './aggregate-root.js';
import { Currency } from './currency.value-object.js';
import { OrderCalculated } from './events/order-calculated.event.js';
import { OrderReceived } from './events/order-received.event.js';
import { Money } from './money.value-object.js';
import { OrderLine } from './order-line.js';
import { OrderStatus } from './order-status.js';
import { OrderStateError } from './order.errors.js';
import type { OrderSnapshot } from './order.snapshot.js';
import type { PlacedOrder } from './placed-order.value-object.js';

interface OrderState {
  readonly id: string;
  readonly externalId: string;
  readonly customerId: string | null;
  readonly currency: Currency;
  readonly placedAt: Date | null;
  readonly status: OrderStatus;
  readonly total: Money | null;
  readonly receivedAt: Date;
  readonly calculatedAt: Date | null;
  readonly version: number;
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
      version: 0,
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
      version: snapshot.version,
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

  calculate(at: Date): void {
    if (this.state.status !== OrderStatus.Received) {
      throw new OrderStateError(this.id, this.state.status, 'calculated');
    }
    const total = this.lines.reduce((sum, line) => sum.add(line.lineTotal()), Money.zero(this.currency));
    this.state = { ...this.state, status: OrderStatus.Calculated, total, calculatedAt: at };
    this.apply(
      new OrderCalculated({
        orderId: this.id,
        externalId: this.externalId,
        customerId: this.customerId,
        currency: this.currency,
        total,
        lines: this.lines,
        correlationId: this.correlationId,
        occurredAt: at,
      }),
    );
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

  /** The stored version, for optimistic locking; the repository, not the aggregate, advances it. */
  get version(): number {
    return this.state.version;
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
