import { CommandBus } from '@nestjs/cqrs';
import { beforeEach, describe, expect, it } from 'vitest';
import { anItem, anOrderMessage } from '../../../../../../test/fixtures/order.mother.js';
import {
  DuplicateOrderConflictError,
  InvalidOrderError,
  type Order,
  type OrderCalculated,
} from '../../../domain/index.js';
import { Clock } from '../../ports/clock.js';
import { IdGenerator } from '../../ports/id-generator.js';
import { type OrderAdmission, OrderRepository } from '../../ports/order.repository.js';
import { UnitOfWork } from '../../ports/unit-of-work.js';
import { DomainEventDispatcher } from '../../events/domain-event.dispatcher.js';
import { OrderEventsOutboxWriter } from '../../events/order-events.outbox-writer.js';
import { OrderViewProjector } from '../../events/order-view.projector.js';
import { OrderEventsOutbox } from '../../ports/order-events.outbox.js';
import { OrderViewStore } from '../../ports/order-view.store.js';
import type { StoredOrderStatistics } from '../../read-model/order-statistics.js';
import type { OrderView, RenderedOrderView } from '../../read-model/order-view.js';
import type { OrderViewPage } from '../../read-model/order-view-listing.js';
import { CalculateOrderCommand } from '../calculate-order/calculate-order.command.js';
import { CalculateOrderCommandHandler } from '../calculate-order/calculate-order.command-handler.js';
import { ReceiveOrderCommand } from './receive-order.command.js';
import { ReceiveOrderCommandHandler } from './receive-order.command-handler.js';

/** The write model as the handlers see it through the port: keyed by externalId, events kept. */
class InMemoryOrderRepository extends OrderRepository {
  readonly orders = new Map<string, Order>();

  add(order: Order): Promise<OrderAdmission> {
    const existing = [...this.orders.values()].find((known) => known.externalId === order.externalId);
    if (existing) {
      return Promise.resolve({
        admitted: false,
        existingOrderId: existing.id,
        existingFingerprint: existing.fingerprint,
      });
    }
    this.orders.set(order.id, order);
    return Promise.resolve({ admitted: true });
  }

  getById(orderId: string): Promise<Order> {
    return Promise.resolve(this.orders.get(orderId)!);
  }

  save(): Promise<void> {
    return Promise.resolve();
  }

  listAfter(): Promise<Order[]> {
    return Promise.resolve([...this.orders.values()]);
  }
}

class InMemoryOrderEventsOutbox extends OrderEventsOutbox {
  readonly events: OrderCalculated[] = [];

  enqueue(event: OrderCalculated): Promise<void> {
    this.events.push(event);
    return Promise.resolve();
  }
}

class InMemoryOrderViewStore extends OrderViewStore {
  readonly views = new Map<string, OrderView>();

  save(view: OrderView): Promise<void> {
    this.views.set(view.orderId, view);
    return Promise.resolve();
  }

  findById(orderId: string): Promise<RenderedOrderView | null> {
    const view = this.views.get(orderId);
    return Promise.resolve(view ? { version: view.version, json: JSON.stringify(view) } : null);
  }

  list(): Promise<OrderViewPage> {
    return Promise.reject(new Error('not used by the commands'));
  }

  statistics(): Promise<StoredOrderStatistics> {
    return Promise.reject(new Error('not used by the commands'));
  }

  rebuildStatistics(): Promise<void> {
    return Promise.reject(new Error('not used by the commands'));
  }
}

class ImmediateUnitOfWork extends UnitOfWork {
  run<T>(work: () => Promise<T>): Promise<T> {
    return work();
  }

  runEach<I, T>(items: readonly I[], work: (item: I) => Promise<T>): Promise<PromiseSettledResult<T>[]> {
    return Promise.allSettled(items.map(work));
  }
}

const fixedClock: Clock = { now: () => new Date('2026-11-21T10:00:00.000Z') };
const delivery = { messageId: 'm-1', correlationId: 'c-1', routingKey: 'order.placed' };

describe('ReceiveOrderCommandHandler', () => {
  let repository: InMemoryOrderRepository;
  let outbox: InMemoryOrderEventsOutbox;
  let views: InMemoryOrderViewStore;
  let handler: ReceiveOrderCommandHandler;

  beforeEach(() => {
    repository = new InMemoryOrderRepository();
    outbox = new InMemoryOrderEventsOutbox();
    views = new InMemoryOrderViewStore();
    const events = new DomainEventDispatcher([
      new OrderViewProjector(repository, views),
      new OrderEventsOutboxWriter(outbox),
    ]);
    const unitOfWork = new ImmediateUnitOfWork();
    const calculate = new CalculateOrderCommandHandler(repository, unitOfWork, fixedClock, events);
    const commandBus = {
      execute: (command: unknown) =>
        command instanceof CalculateOrderCommand ? calculate.execute(command) : Promise.reject(new Error('unexpected')),
    } as unknown as CommandBus;
    let sequence = 0;
    const ids: IdGenerator = { newId: () => `00000000-0000-4000-8000-${String(++sequence).padStart(12, '0')}` };
    handler = new ReceiveOrderCommandHandler(repository, unitOfWork, commandBus, ids, fixedClock, events);
  });

  it('accepts a new order, calculates it and records one OrderCalculated', async () => {
    const message = anOrderMessage({ items: [anItem({ unitPrice: '0.10', quantity: 3 })] });

    const result = await handler.execute(new ReceiveOrderCommand(message, delivery));

    expect(result).toEqual({ outcome: 'accepted', orderId: expect.any(String), externalId: message.externalId });
    const order = repository.orders.get(result.orderId)!;
    expect(order.status).toBe('CALCULATED');
    expect(order.total!.toString()).toBe('0.30');
    expect(order.correlationId).toBe('c-1');
    expect(outbox.events).toHaveLength(1);
  });

  it('projects the calculated order into the read view, lines and totals as decimal strings', async () => {
    const message = anOrderMessage({
      customerId: 'C-42',
      items: [anItem({ productId: 'P-1', name: 'Mouse', unitPrice: '19.90', quantity: 2 })],
    });
    const { orderId } = await handler.execute(new ReceiveOrderCommand(message, delivery));
    expect(views.views.get(orderId)).toEqual({
      orderId,
      externalId: message.externalId,
      customerId: 'C-42',
      status: 'CALCULATED',
      currency: 'BRL',
      total: '39.80',
      itemCount: 1,
      items: [{ productId: 'P-1', name: 'Mouse', unitPrice: '19.90', quantity: 2, lineTotal: '39.80' }],
      receivedAt: '2026-11-21T10:00:00.000Z',
      calculatedAt: '2026-11-21T10:00:00.000Z',
      paidAt: null,
      shippedAt: null,
      deliveredAt: null,
      cancelledAt: null,
      updatedAt: '2026-11-21T10:00:00.000Z',
      version: 1,
    });
  });

  it('answers the same content again as a duplicate of the first order, without a new event', async () => {
    const message = anOrderMessage();
    const first = await handler.execute(new ReceiveOrderCommand(message, delivery));

    const again = await handler.execute(new ReceiveOrderCommand(structuredClone(message), delivery));

    expect(again).toEqual({ outcome: 'duplicate', orderId: first.orderId, externalId: message.externalId });
    expect(repository.orders.size).toBe(1);
    expect(views.views.size).toBe(1);
    expect(outbox.events).toHaveLength(1);
  });

  it('rejects different content under a known externalId as a conflict; the first order stands', async () => {
    const message = anOrderMessage();
    const first = await handler.execute(new ReceiveOrderCommand(message, delivery));
    const changed = { ...message, items: [anItem({ quantity: 7 })] };

    await expect(handler.execute(new ReceiveOrderCommand(changed, delivery))).rejects.toBeInstanceOf(
      DuplicateOrderConflictError,
    );
    expect([...repository.orders.keys()]).toEqual([first.orderId]);
  });

  it('rejects an invalid order before touching the write model', async () => {
    const invalid = anOrderMessage({ currency: 'ZZZ' });

    await expect(handler.execute(new ReceiveOrderCommand(invalid, delivery))).rejects.toBeInstanceOf(InvalidOrderError);
    expect(repository.orders.size).toBe(0);
  });
});
