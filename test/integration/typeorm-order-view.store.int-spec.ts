import {
  DependencyUnavailableError,
  type OrderView,
  Order,
  orderViewOf,
  PlacedOrder,
  RebuildOrderViewsCommand,
  RebuildOrderViewsCommandHandler,
} from '@app/ordering';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TypeOrmOrderViewStore } from '../../apps/order-service/src/outbound/postgres/typeorm-order-view.store.js';
import { TypeOrmOrderRepository } from '../../apps/order-service/src/outbound/postgres/typeorm-order.repository.js';
import { TypeOrmUnitOfWork } from '../../apps/order-service/src/outbound/postgres/typeorm-unit-of-work.js';
import { anItem, anOrderMessage, largestLegalOrderMessage } from '../fixtures/order.mother.js';
import { TestDatabase } from '../support/test-database.js';

const calculatedOrder = (message = anOrderMessage(), receivedAt = new Date()) => {
  const order = Order.receive({
    id: crypto.randomUUID(),
    placed: PlacedOrder.parse(message),
    correlationId: null,
    receivedAt,
  });
  order.calculate(new Date(receivedAt.getTime() + 5));
  return order;
};

describe('TypeOrmOrderViewStore against a real Postgres', () => {
  let database: TestDatabase;
  let unitOfWork: TypeOrmUnitOfWork;
  let views: TypeOrmOrderViewStore;
  let orders: TypeOrmOrderRepository;

  beforeAll(async () => {
    database = await TestDatabase.create();
    unitOfWork = new TypeOrmUnitOfWork(database.dataSource);
    views = new TypeOrmOrderViewStore(unitOfWork);
    orders = new TypeOrmOrderRepository(unitOfWork);
  });

  afterAll(() => database?.drop());

  it('answers a saved view exactly as projected, money strings and key order included', async () => {
    const view = orderViewOf(calculatedOrder(largestLegalOrderMessage('KWD')));
    await views.save(view);
    const found = await views.findById(view.orderId);
    expect(JSON.stringify(found)).toBe(JSON.stringify(view));
    expect(found?.total).toBe('1000000000000000000.000');
    expect(await views.findById(crypto.randomUUID())).toBeNull();
  });

  it('reports an unreachable database on a plain read as unavailable (a 503 to product B), not as a failure', async () => {
    await database.throughProxy(async (dataSource, proxy) => {
      const elsewhere = new TypeOrmOrderViewStore(new TypeOrmUnitOfWork(dataSource));
      await proxy.cut();
      await expect(elsewhere.findById(crypto.randomUUID())).rejects.toBeInstanceOf(DependencyUnavailableError);
    });
  });

  it('never lets an older state of an order overwrite a newer one', async () => {
    const order = Order.receive({
      id: crypto.randomUUID(),
      placed: PlacedOrder.parse(anOrderMessage()),
      correlationId: null,
      receivedAt: new Date('2026-11-21T10:00:00.000Z'),
    });
    const received = orderViewOf(order);
    order.calculate(new Date('2026-11-21T10:00:00.000Z'));
    const calculated = orderViewOf(order);

    await views.save(calculated);
    await views.save(received);

    expect(await views.findById(order.id)).toEqual(calculated);
  });

  it('pages newest first by keyset, each filter applied, no order twice and none skipped', async () => {
    const customerId = `C-${crypto.randomUUID().slice(0, 8)}`;
    const start = Date.parse('2030-01-01T00:00:00.000Z');
    // Pairs share a receivedAt, so the order id has to break the tie.
    const saved = Array.from({ length: 11 }, (_, index) =>
      orderViewOf(calculatedOrder(anOrderMessage({ customerId }), new Date(start + Math.floor(index / 2) * 1000))),
    );
    for (const view of saved) await views.save(view);

    const walked: OrderView[] = [];
    let after = null;
    do {
      const page = await views.list({ customerId }, 3, after);
      walked.push(...page.data);
      after = page.next;
    } while (after);

    const expected = [...saved].sort(
      (a, b) => b.receivedAt.localeCompare(a.receivedAt) || b.orderId.localeCompare(a.orderId),
    );
    expect(walked.map((view) => view.orderId)).toEqual(expected.map((view) => view.orderId));
    const window = await views.list(
      {
        customerId,
        status: 'CALCULATED',
        receivedFrom: new Date(start + 1000),
        receivedTo: new Date(start + 3000),
      },
      50,
      null,
    );
    expect(window.data.map((view) => view.orderId).sort()).toEqual(
      saved
        .slice(2, 6)
        .map((view) => view.orderId)
        .sort(),
    );
    expect(window.next).toBeNull();
    const one = await views.list({ externalId: saved[4].externalId }, 50, null);
    expect(one.data).toEqual([saved[4]]);
  });

  it('sums calculated totals per currency exactly and counts per status over a received window', async () => {
    const at = new Date('2031-06-01T00:00:00.000Z');
    const brl = anOrderMessage({ currency: 'BRL', items: [anItem({ unitPrice: '0.10', quantity: 3 })] });
    const kwd = anOrderMessage({ currency: 'KWD', items: [anItem({ unitPrice: '0.125', quantity: 3 })] });
    for (const message of [brl, brl, kwd].map((m) => ({ ...m, externalId: crypto.randomUUID() }))) {
      await views.save(orderViewOf(calculatedOrder(message, at)));
    }
    await views.save(orderViewOf(calculatedOrder(largestLegalOrderMessage('BRL'), at)));

    const statistics = await views.statistics({ receivedFrom: at, receivedTo: new Date(at.getTime() + 1000) });

    expect(statistics).toEqual({
      countsByStatus: [{ status: 'CALCULATED', count: 4 }],
      totalsByCurrency: [
        { currency: 'BRL', total: '1000000000000000000.60' },
        { currency: 'KWD', total: '0.375' },
      ],
    });
  });

  it('rebuilds the read table from the write model, page by page, the same rows the projector wrote', async () => {
    const stored = [calculatedOrder(), calculatedOrder(), calculatedOrder()];
    await unitOfWork.run(async () => {
      for (const order of stored) {
        await orders.add(Order.restore({ ...order.toSnapshot(), status: 'RECEIVED', total: null, calculatedAt: null }));
        await orders.save(Order.restore({ ...order.toSnapshot(), version: 0 }));
      }
    });
    await database.query('DELETE FROM order_views');

    const rebuild = new RebuildOrderViewsCommandHandler(orders, views, unitOfWork);
    const { rebuilt } = await rebuild.execute(new RebuildOrderViewsCommand(2));

    expect(rebuilt).toBe(3);
    for (const order of stored) expect(await views.findById(order.id)).toEqual(orderViewOf(order));
  });
});
