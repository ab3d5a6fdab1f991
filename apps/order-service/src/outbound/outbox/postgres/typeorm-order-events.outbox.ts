import { Injectable } from '@nestjs/common';
import { OrderEventsOutbox, type OutgoingOrderEvent } from '@app/ordering';
import { traceCarrierOf } from '../../../observability/tracing/spans.js';
import { OutboxSignal } from '../outbox.signal.js';
import { PendingOutbox } from './pending-outbox.js';
import { TypeOrmUnitOfWork } from '../../postgres/typeorm-unit-of-work.js';

@Injectable()
export class TypeOrmOrderEventsOutbox extends OrderEventsOutbox {
  private readonly pendingKey = {};

  constructor(
    private readonly unitOfWork: TypeOrmUnitOfWork,
    private readonly signal: OutboxSignal,
  ) {
    super();
  }

  /**
   * Deferred to the commit with the transaction's other events (see PendingOutbox), then handed to
   * the relay; with the trace of the use case that raised it (the active span now), for its message.
   */
  enqueue(event: OutgoingOrderEvent): Promise<void> {
    const traceContext = traceCarrierOf();
    return this.unitOfWork.inScope((scope) => {
      const pending = scope.defer(this.pendingKey, () => new PendingOutbox(this.signal));
      pending.add(event, traceContext);
      scope.afterCommit.add(pending.handOver);
      return Promise.resolve();
    });
  }
}
