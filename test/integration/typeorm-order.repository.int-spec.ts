import { ConcurrentModificationError, DependencyUnavailableError, Order, PlacedOrder } from '@app/ordering';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PendingSaves } from '../../apps/order-service/src/outbound/postgres/batch/pending-saves.js';
import { TypeOrmOrderRepository } from '../../apps/order-service/src/outbound/postgres/typeorm-order.repository.js';
import { TypeOrmUnitOfWork } from '../../apps/order-service/src/outbound/postgres/typeorm-unit-of-work.js';
import { anOrderMessage, largestLegalOrderMessage, PRODUCT_A_ORIGIN } from '../fixtures/order.mother.js';
import { TestDatabase } from '../support/test-database.js';

const receivedOrder = (message = anOrderMessage()) =>
  Order.receive({
    id: crypto.randomUUID(),
    placed: PlacedOrder.parse(message),
    correlationId: 'corr-1',
    receivedAt: new Date('2026-11-21T10:00:00.000Z'),
  });

describe('TypeOrmOrderRepository against a real Postgres', () => {
  let database: TestDatabase;
  let unitOfWork: TypeOrmUnitOfWork;
  let repository: TypeOrmOrderRepository;

  beforeAll(async () => {
    database = await TestDatabase.create();
    unitOfWork = new TypeOrmUnitOfWork(database.dataSource);
    repository = new TypeOrmOrderRepository(unitOfWork);
  });

  afterAll(() => database?.drop());

  it('admits a new order and restores it with its lines in the order sent', async () => {
    const order = receivedOrder();
    await expect(unitOfWork.run(() => repository.add(order))).resolves.toEqual({ admitted: true });

    const restored = await repository.getById(order.id);
    expect(restored.toSnapshot()).toEqual(order.toSnapshot());
  });

  it('answers a known externalId with the stored order id and fingerprint, and writes nothing', async () => {
    const message = anOrderMessage();
    const first = receivedOrder(message);
    await unitOfWork.run(() => repository.add(first));

    const admission = await unitOfWork.run(() => repository.add(receivedOrder(message)));

    expect(admission).toEqual({ admitted: false, existingOrderId: first.id, existingFingerprint: first.fingerprint });
    const rows = await database.query('SELECT id FROM orders WHERE external_id = $1', [message.externalId]);
    expect(rows).toHaveLength(1);
  });

  it('stores exactly one of two concurrent transactions adding the same externalId; the other fails at commit', async () => {
    const message = anOrderMessage();
    let releaseFirst!: () => void;
    const firstMayCommit = new Promise<void>((resolve) => (releaseFirst = resolve));
    const first = unitOfWork.run(async () => {
      const admission = await repository.add(receivedOrder(message));
      await firstMayCommit;
      return admission;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Neither sees the other's order before it commits: both are admitted, the later commit fails.
    const second = unitOfWork.run(() => repository.add(receivedOrder(message)));
    await expect(second).resolves.toEqual({ admitted: true });
    releaseFirst();

    await expect(first).rejects.toBeInstanceOf(ConcurrentModificationError);
    const rows = await database.query('SELECT id FROM orders WHERE external_id = $1', [message.externalId]);
    expect(rows).toHaveLength(1);
    const again = await unitOfWork.run(() => repository.add(receivedOrder(message)));
    expect(again).toMatchObject({ admitted: false, existingOrderId: rows[0].id });
  });

  it('inserts an order admitted and changed in one transaction once, in its final state', async () => {
    await database.query(`
      CREATE FUNCTION refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'orders updated'; END $$;
      CREATE TRIGGER refuse_update BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION refuse_update()`);
    const order = receivedOrder();
    try {
      await unitOfWork.run(async () => {
        await repository.add(order);
        order.calculate(PRODUCT_A_ORIGIN, new Date('2026-11-21T10:00:01.000Z'));
        await repository.save(order);
      });
    } finally {
      await database.query('DROP TRIGGER refuse_update ON orders; DROP FUNCTION refuse_update()');
    }

    expect((await repository.getById(order.id)).toSnapshot()).toEqual(order.toSnapshot());
  });

  it('saves the calculation, guarded by the version', async () => {
    const order = receivedOrder();
    await unitOfWork.run(async () => {
      await repository.add(order);
      order.calculate(PRODUCT_A_ORIGIN, new Date('2026-11-21T10:00:01.000Z'));
      await repository.save(order);
    });

    const [row] = await database.query<{ status: string; total: string; version: number }>(
      'SELECT status, total, version FROM orders WHERE id = $1',
      [order.id],
    );
    expect(row).toEqual({ status: 'CALCULATED', total: order.total!.toString(), version: 1 });

    const stale = await repository.getById(order.id);
    const staler = Order.restore({ ...stale.toSnapshot(), status: 'RECEIVED', version: 0 });
    staler.calculate(PRODUCT_A_ORIGIN, new Date());
    await expect(unitOfWork.run(() => repository.save(staler))).rejects.toBeInstanceOf(ConcurrentModificationError);
  });

  it('finds the orders a save changes by primary key, not by scanning the table', async () => {
    const stored = Array.from({ length: 2000 }, () => receivedOrder());
    await unitOfWork.run(() => Promise.all(stored.map((order) => repository.add(order))));
    await database.query('ANALYZE orders');
    const saves = new PendingSaves();
    for (const order of stored.slice(0, 10)) {
      order.calculate(PRODUCT_A_ORIGIN, new Date());
      saves.add(order);
    }
    const { sql, parameters } = saves.statement()!;

    const [{ 'QUERY PLAN': plan }] = await database.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${sql}`, [
      ...parameters,
    ]);
    const scans = JSON.stringify(plan).match(/"Node Type":"[^"]*Scan"[^{}]*"Relation Name":"orders"/g) ?? [];
    expect(scans).not.toHaveLength(0);
    expect(scans.filter((scan) => scan.includes('Seq Scan'))).toEqual([]);
  });

  it.each(['BRL', 'KWD'])('stores the largest legal order (%s) exact to the last digit', async (currency) => {
    const order = receivedOrder(largestLegalOrderMessage(currency));
    await unitOfWork.run(async () => {
      await repository.add(order);
      order.calculate(PRODUCT_A_ORIGIN, new Date());
      await repository.save(order);
    });
    const decimals = currency === 'KWD' ? '000' : '00';
    const [row] = await database.query<{ total: string; lines: number }>(
      'SELECT total, (SELECT count(*)::int FROM order_lines WHERE order_id = $1) AS lines FROM orders WHERE id = $1',
      [order.id],
    );
    expect(row).toEqual({ total: `1000000000000000000.${decimals}`, lines: 1000 });
    expect((await repository.getById(order.id)).total!.toString()).toBe(`1000000000000000000.${decimals}`);
  });

  it('walks the whole write model in id order, a page at a time, lines included', async () => {
    const orders = [receivedOrder(), receivedOrder(), receivedOrder()];
    await unitOfWork.run(async () => {
      for (const order of orders) await repository.add(order);
    });
    const ids = new Set(orders.map((order) => order.id));
    const walked: Order[] = [];
    for (let after: string | null = null; ;) {
      const page = await repository.listAfter(after, 2);
      walked.push(...page);
      if (page.length < 2) break;
      after = page[page.length - 1].id;
    }
    const walkedIds = walked.map((order) => order.id);
    expect(walkedIds).toEqual([...walkedIds].sort());
    expect(new Set(walkedIds).size).toBe(walkedIds.length);
    const ours = walked.filter((order) => ids.has(order.id));
    expect(ours.map((order) => order.toSnapshot())).toEqual(
      orders.map((order) => order.toSnapshot()).sort((a, b) => a.id.localeCompare(b.id)),
    );
  });

  it('rolls back everything the unit of work did when the work fails', async () => {
    const order = receivedOrder();
    await expect(
      unitOfWork.run(async () => {
        await repository.add(order);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await database.query('SELECT 1 FROM orders WHERE id = $1', [order.id])).toHaveLength(0);
  });

  it('reports an unreachable database as DependencyUnavailableError, so the caller retries', async () => {
    await database.throughProxy(async (dataSource, proxy) => {
      const unreachable = new TypeOrmUnitOfWork(dataSource);
      const orders = new TypeOrmOrderRepository(unreachable);
      await proxy.cut();
      await expect(unreachable.run(() => orders.add(receivedOrder()))).rejects.toBeInstanceOf(
        DependencyUnavailableError,
      );
    });
  });
});
