import {
  DependencyUnavailableError,
  type OrderView,
  Order,
  type OrderSnapshot,
  orderViewOf,
  PlacedOrder,
  RebuildOrderViewsCommand,
  RebuildOrderViewsCommandHandler,
} from '@app/ordering';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresConsistencyChecker } from '../../apps/order-service/src/cli/postgres-consistency.checker.js';
import {
  OrderViewStoreSettings,
  TypeOrmOrderViewStore,
} from '../../apps/order-service/src/outbound/postgres/typeorm-order-view.store.js';
import { TypeOrmOrderRepository } from '../../apps/order-service/src/outbound/postgres/typeorm-order.repository.js';
import { TypeOrmUnitOfWork } from '../../apps/order-service/src/outbound/postgres/typeorm-unit-of-work.js';
import { anItem, anOrderMessage, largestLegalOrderMessage, PRODUCT_A_ORIGIN } from '../fixtures/order.mother.js';
import { TestDatabase } from '../support/test-database.js';

const calculatedOrder = (message = anOrderMessage(), receivedAt = new Date()) => {
  const order = Order.receive({
    id: crypto.randomUUID(),
    placed: PlacedOrder.parse(message),
    correlationId: null,
    receivedAt,
  });
  order.calculate(PRODUCT_A_ORIGIN, new Date(receivedAt.getTime() + 5));
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

  it('answers a saved view as the text projected, money strings and key order included, with its version', async () => {
    const view = orderViewOf(calculatedOrder(largestLegalOrderMessage('KWD')));
    await views.save(view);
    const found = await views.findById(view.orderId);
    expect(found?.json).toBe(JSON.stringify(view));
    expect(found?.version).toBe(1);
    expect((JSON.parse(found!.json) as OrderView).total).toBe('1000000000000000000.000');
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
    order.calculate(PRODUCT_A_ORIGIN, new Date('2026-11-21T10:00:00.000Z'));
    const calculated = orderViewOf(order);

    await views.save(calculated);
    await views.save(received);

    expect(JSON.parse((await views.findById(order.id))!.json)).toEqual(calculated);
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

  it('ends a page early, with a cursor, before its documents pass the byte budget, and never skips an order', async () => {
    const customerId = `C-${crypto.randomUUID().slice(0, 8)}`;
    const start = Date.parse('2033-01-01T00:00:00.000Z');
    const saved = Array.from({ length: 7 }, (_, index) =>
      orderViewOf(
        calculatedOrder(
          { ...largestLegalOrderMessage('BRL'), externalId: crypto.randomUUID(), customerId },
          new Date(start + index * 1000),
        ),
      ),
    );
    for (const view of saved) await views.save(view);
    const documentBytes = Buffer.byteLength(JSON.stringify(saved[0]));
    const budgeted = new TypeOrmOrderViewStore(unitOfWork, new OrderViewStoreSettings(Math.floor(documentBytes * 2.5)));

    const pages: number[] = [];
    const walked: string[] = [];
    let after = null;
    do {
      const page = await budgeted.list({ customerId }, 500, after);
      pages.push(page.data.length);
      walked.push(...page.data.map((view) => view.orderId));
      after = page.next;
    } while (after);

    expect(pages).toEqual([2, 2, 2, 1]);
    expect(walked).toEqual([...saved].reverse().map((view) => view.orderId));
    const tiny = new TypeOrmOrderViewStore(unitOfWork, new OrderViewStoreSettings(1));
    const first = await tiny.list({ customerId }, 500, null);
    expect(first.data.map((view) => view.orderId)).toEqual([saved[6].orderId]);
    expect(first.next).not.toBeNull();
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

  it('answers any window from per-day figures exactly as a scan of the rows would, edge days included', async () => {
    const start = Date.parse('2032-03-01T00:00:00.000Z');
    const HOUR = 3_600_000;
    const currencies = ['BRL', 'JPY', 'KWD'];
    // 4 days of orders, every 5 hours and a few minutes; each goes RECEIVED then CALCULATED, some stay RECEIVED.
    for (let index = 0; index < 20; index++) {
      const receivedAt = new Date(start + index * 5 * HOUR + index * 60_000);
      const currency = currencies[index % 3];
      const order = Order.receive({
        id: crypto.randomUUID(),
        placed: PlacedOrder.parse(
          anOrderMessage({
            currency,
            items: [anItem({ unitPrice: currency === 'JPY' ? '7' : '1.5', quantity: index + 1 })],
          }),
        ),
        correlationId: null,
        receivedAt,
      });
      await views.save(orderViewOf(order));
      if (index % 4 !== 0) {
        order.calculate(PRODUCT_A_ORIGIN, new Date(receivedAt.getTime() + 5));
        await views.save(orderViewOf(order));
      }
    }
    const scanned = async (from?: Date, to?: Date) => {
      const rows = await database.query<{ status: string; currency: string; count: string; total: string | null }>(
        `SELECT status, currency, count(*)::text AS count, sum(total)::text AS total FROM order_views
         WHERE ($1::timestamptz IS NULL OR received_at >= $1) AND ($2::timestamptz IS NULL OR received_at < $2)
         GROUP BY 1, 2`,
        [from ?? null, to ?? null],
      );
      const counts = new Map<string, number>();
      for (const row of rows) counts.set(row.status, (counts.get(row.status) ?? 0) + Number(row.count));
      return {
        counts: Object.fromEntries([...counts].sort()),
        totals: Object.fromEntries(
          rows.filter((row) => row.status === 'CALCULATED').map((row) => [row.currency, Number(row.total)]),
        ),
      };
    };
    const kept = async (from?: Date, to?: Date) => {
      const statistics = await views.statistics({ receivedFrom: from, receivedTo: to });
      return {
        counts: Object.fromEntries(statistics.countsByStatus.map(({ status, count }) => [status, count]).sort()),
        totals: Object.fromEntries(statistics.totalsByCurrency.map(({ currency, total }) => [currency, Number(total)])),
      };
    };
    const at = (hours: number) => new Date(start + hours * HOUR);
    const windows: [Date | undefined, Date | undefined][] = [
      [undefined, undefined],
      [at(0), at(96)],
      [at(24), at(48)],
      [at(3.5), at(70.25)],
      [at(5), at(5.0167)],
      [at(10.2), at(11)],
      [at(23.99), at(24.01)],
      [at(30), undefined],
      [undefined, at(50.5)],
      [at(-100), at(1000)],
    ];
    for (const [from, to] of windows)
      expect(await kept(from, to), `${from?.toISOString()} ${to?.toISOString()}`).toEqual(await scanned(from, to));
    const window = await kept(at(0), at(96));
    expect(window.counts).toEqual({ CALCULATED: 15, RECEIVED: 5 });
  });

  it('recomputes drifted per-day figures from the rows, and the consistency check names the drift until then', async () => {
    const checker = new PostgresConsistencyChecker(database.dataSource);
    const statisticsDifferences = async () =>
      (await checker.check({ outboxRetentionHours: 24 })).differences.filter(({ check }) => check === 'statistics');
    expect(await statisticsDifferences()).toEqual([]);
    await database.query(`UPDATE order_statistics_daily SET orders = orders + 1, total = total + 0.01
      WHERE (day, status, currency) = (SELECT day, status, currency FROM order_statistics_daily WHERE status = 'CALCULATED' LIMIT 1)`);
    const drift = await statisticsDifferences();
    expect(drift.length).toBeGreaterThan(0);
    expect(drift[0]).toMatchObject({
      orderId: null,
      problem: expect.stringMatching(/^the statistics of \d{4}-\d\d-\d\d CALCULATED /),
    });

    await unitOfWork.run(() => views.rebuildStatistics());

    expect(await statisticsDifferences()).toEqual([]);
  });

  it('rebuilds the read table from the write model, page by page, the same rows the projector wrote', async () => {
    const stored = [calculatedOrder(), calculatedOrder(), calculatedOrder()];
    await unitOfWork.run(async () => {
      for (const order of stored) {
        const received = { ...order.toSnapshot(), status: 'RECEIVED', total: null, calculatedAt: null, version: 0 };
        const same = Order.restore(received as OrderSnapshot);
        await orders.add(same);
        same.calculate(PRODUCT_A_ORIGIN, order.calculatedAt!);
        await orders.save(same);
      }
    });
    await database.query('DELETE FROM order_views');

    const rebuild = new RebuildOrderViewsCommandHandler(orders, views, unitOfWork);
    const { rebuilt } = await rebuild.execute(new RebuildOrderViewsCommand(2));

    expect(rebuilt).toBe(3);
    for (const order of stored) expect(JSON.parse((await views.findById(order.id))!.json)).toEqual(orderViewOf(order));
  });
});
