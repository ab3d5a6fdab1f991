import { Injectable } from '@nestjs/common';
import { type OrderCalculated, OrderEventsOutbox } from '@app/ordering';
import { toOrderCalculatedMessage } from '../outbox/order-calculated.message.js';
import { OutboxSignal } from '../outbox/outbox.signal.js';
import { TypeOrmUnitOfWork } from './typeorm-unit-of-work.js';

/** The contract's message is rendered now and stored as text, so every republish is byte-identical. */
const INSERT_OUTBOX = `
  INSERT INTO outbox (event_id, event_type, aggregate_id, correlation_id, payload, occurred_at)
  VALUES ($1, $2, $3, $4, $5, $6)`;

@Injectable()
export class TypeOrmOrderEventsOutbox extends OrderEventsOutbox {
  constructor(
    private readonly unitOfWork: TypeOrmUnitOfWork,
    private readonly signal: OutboxSignal,
  ) {
    super();
  }

  async enqueue(event: OrderCalculated): Promise<void> {
    await this.unitOfWork
      .manager()
      .query(INSERT_OUTBOX, [
        event.eventId,
        event.eventType,
        event.orderId,
        event.correlationId,
        JSON.stringify(toOrderCalculatedMessage(event)),
        event.occurredAt,
      ]);
    this.unitOfWork.current()?.afterCommit.add(this.wakeRelay);
  }

  /** One function for every row, so a transaction with many rows wakes the relay once. */
  private readonly wakeRelay = (): void => this.signal.notify();
}
