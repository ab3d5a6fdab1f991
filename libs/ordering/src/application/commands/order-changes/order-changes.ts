import { Injectable } from '@nestjs/common';
import type { Order } from '../../../domain/index.js';
import { ConcurrentModificationError } from '../../errors/concurrent-modification.error.js';
import { OrderVersionMismatchError } from '../../errors/order-version-mismatch.error.js';
import { DomainEventDispatcher } from '../../events/domain-event.dispatcher.js';
import { Clock } from '../../ports/clock.js';
import { OrderRepository } from '../../ports/order.repository.js';
import { UnitOfWork } from '../../ports/unit-of-work.js';
import type { OrderChangeResult } from './order-change.result.js';

/** How often a change is decided again after another writer moved the order first. */
const MAX_ATTEMPTS = 5;

export interface OrderChangeRequest {
  readonly orderId: string;
  /** The version the caller saw (If-Match); null when it does not ask. */
  readonly expectedVersion: number | null;
  /** Whether the input was acted on before (the same payment again): then nothing changes. */
  readonly isDuplicate?: () => Promise<boolean>;
  readonly change: (order: Order, at: Date) => void;
  /** Records the input once its change is decided, in the same transaction. */
  readonly record?: () => Promise<void>;
}

/**
 * The one way an order's status changes: load it, check the caller's version, let the aggregate
 * decide, save it under its stored version, and dispatch its event in the same transaction. When
 * another writer moved the order in between, the whole decision runs again on the new state, so of
 * two conflicting changes at once exactly one wins and the other is refused by the status machine.
 */
@Injectable()
export class OrderChanges {
  constructor(
    private readonly orders: OrderRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly events: DomainEventDispatcher,
  ) {}

  async apply(request: OrderChangeRequest): Promise<OrderChangeResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.unitOfWork.run(() => this.decide(request));
      } catch (error) {
        if (!(error instanceof ConcurrentModificationError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  private async decide(request: OrderChangeRequest): Promise<OrderChangeResult> {
    const { orderId, expectedVersion, isDuplicate, change, record } = request;
    const order = await this.orders.getById(orderId);
    if (expectedVersion !== null && order.version !== expectedVersion) {
      throw new OrderVersionMismatchError(orderId, expectedVersion, order.version);
    }
    const result = (outcome: OrderChangeResult['outcome']): OrderChangeResult => ({
      orderId,
      outcome,
      status: order.status,
      version: order.version,
    });
    if (isDuplicate && (await isDuplicate())) return result('duplicate');
    // Decided before anything is written: a refusal leaves the transaction (maybe a batch's) clean.
    change(order, this.clock.now());
    const events = order.pullEvents();
    await record?.();
    if (events.length === 0) return result('unchanged');
    await this.orders.save(order);
    await this.events.dispatch(events);
    return result('changed');
  }
}
