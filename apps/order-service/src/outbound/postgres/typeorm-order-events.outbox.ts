import { Injectable } from '@nestjs/common';
import { type OrderCalculated, OrderEventsOutbox } from '@app/ordering';
import { OutboxSignal } from '../outbox/outbox.signal.js';
import { PendingOutbox } from './batch/pending-outbox.js';
import { TypeOrmUnitOfWork } from './typeorm-unit-of-work.js';

@Injectable()
export class TypeOrmOrderEventsOutbox extends OrderEventsOutbox {
  private readonly pendingKey = {};

  constructor(
    private readonly unitOfWork: TypeOrmUnitOfWork,
    private readonly signal: OutboxSignal,
  ) {
    super();
  }

  /** Deferred to the commit with the transaction's other events (see PendingOutbox); the relay wakes after it. */
  enqueue(event: OrderCalculated): Promise<void> {
    return this.unitOfWork.inScope((scope) => {
      scope.defer(this.pendingKey, () => new PendingOutbox()).add(event);
      scope.afterCommit.add(this.wakeRelay);
      return Promise.resolve();
    });
  }

  /** One function for every row, so a transaction with many rows wakes the relay once. */
  private readonly wakeRelay = (): void => this.signal.notify();
}
