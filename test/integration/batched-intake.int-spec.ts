import {
  ConcurrentModificationError,
  DependencyUnavailableError,
  DuplicateOrderConflictError,
  InvalidOrderError,
  type ReceiveOrderResult,
} from '@app/ordering';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TypeOrmUnitOfWork } from '../../apps/order-service/src/outbound/postgres/typeorm-unit-of-work.js';
import { anItem, anOrderMessage, type OrderMessage, uniqueExternalId } from '../fixtures/order.mother.js';
import { intakeOn } from '../support/order-intake.js';
import { TestDatabase } from '../support/test-database.js';

/** A point the work waits at: `reached` once it gets there, on again after `release`. */
function checkpoint() {
  let arrive!: () => void;
  let release!: () => void;
  const reached = new Promise<void>((resolve) => (arrive = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  return {
    reached,
    release,
    wait: () => {
      arrive();
      return released;
    },
  };
}

describe('deliveries sharing one transaction (UnitOfWork.runEach) against a real Postgres', () => {
  let database: TestDatabase;
  let unitOfWork: TypeOrmUnitOfWork;
  let receive: (message: OrderMessage) => Promise<ReceiveOrderResult>;

  const stored = async (externalId: string) => {
    const [row] = await database.query<{ status: string; views: number; events: number }>(
      `SELECT o.status,
              (SELECT count(*)::int FROM order_views v WHERE v.order_id = o.id) AS views,
              (SELECT count(*)::int FROM outbox x WHERE x.aggregate_id = o.id) AS events
       FROM orders o WHERE o.external_id = $1`,
      [externalId],
    );
    return row ?? null;
  };

  beforeAll(async () => {
    database = await TestDatabase.create();
    unitOfWork = new TypeOrmUnitOfWork(database.dataSource);
    receive = intakeOn(unitOfWork);
  });

  afterAll(() => database?.drop());

  it('gives each message of a mixed batch the outcome it gets alone', async () => {
    const earlier = anOrderMessage();
    const { orderId: earlierId } = await receive(earlier);
    const fresh = anOrderMessage();
    const other = anOrderMessage();
    const batch = [
      fresh,
      anOrderMessage({ currency: 'ZZZ' }),
      structuredClone(earlier),
      structuredClone(fresh),
      { ...fresh, items: [anItem({ quantity: 9 })] },
      other,
    ];

    const outcomes = await unitOfWork.runEach(batch, receive);

    const [first, invalid, again, sameAsFirst, conflicting, last] = outcomes;
    expect(first).toEqual({ status: 'fulfilled', value: expect.objectContaining({ outcome: 'accepted' }) });
    const firstId = first.status === 'fulfilled' ? first.value.orderId : '';
    expect(invalid).toEqual({ status: 'rejected', reason: expect.any(InvalidOrderError) });
    expect(again).toEqual({
      status: 'fulfilled',
      value: expect.objectContaining({ outcome: 'duplicate', orderId: earlierId }),
    });
    expect(sameAsFirst).toEqual({
      status: 'fulfilled',
      value: expect.objectContaining({ outcome: 'duplicate', orderId: firstId }),
    });
    expect(conflicting).toEqual({ status: 'rejected', reason: expect.any(DuplicateOrderConflictError) });
    expect(last).toEqual({ status: 'fulfilled', value: expect.objectContaining({ outcome: 'accepted' }) });
    for (const message of [earlier, fresh, other]) {
      expect(await stored(message.externalId)).toEqual({ status: 'CALCULATED', views: 1, events: 1 });
    }
    const [{ count }] = await database.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM order_lines WHERE order_id = $1',
      [firstId],
    );
    expect(count).toBe(fresh.items.length);
  });

  it('keeps nothing of an order that failed after writing, and still commits the others, one by one', async () => {
    const poison = anOrderMessage();
    const healthy = [anOrderMessage(), anOrderMessage(), anOrderMessage()];
    const items = [healthy[0], poison, healthy[1], healthy[2]];

    const outcomes = await unitOfWork.runEach(items, async (message) => {
      const result = await receive(message);
      if (message === poison) throw new Error('processing exploded after the order was stored');
      return result;
    });

    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(await stored(poison.externalId)).toBeNull();
    for (const message of healthy) {
      expect(await stored(message.externalId)).toEqual({ status: 'CALCULATED', views: 1, events: 1 });
    }
  });

  it('fails only the order the database refuses in the insert the batch shares, and commits the others', async () => {
    await database.poisonOrders('REFUSED-');
    const refused = anOrderMessage({ externalId: uniqueExternalId('REFUSED') });
    const healthy = [anOrderMessage(), anOrderMessage(), anOrderMessage()];

    const outcomes = await unitOfWork.runEach([healthy[0], refused, healthy[1], healthy[2]], receive);

    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/poison order REFUSED-/);
    expect(await stored(refused.externalId)).toBeNull();
    for (const message of healthy) {
      expect(await stored(message.externalId)).toEqual({ status: 'CALCULATED', views: 1, events: 1 });
    }
  });

  it('runs a batch again, one by one, when another transaction stored one of its externalIds first', async () => {
    const contested = anOrderMessage();
    const [first, last] = [anOrderMessage(), anOrderMessage()];
    const beforeCommit = checkpoint();

    const batch = unitOfWork.runEach([first, structuredClone(contested), last], async (message) => {
      const result = await receive(message);
      if (message === first) await beforeCommit.wait();
      return result;
    });
    await beforeCommit.reached;
    const winner = await receive(contested);
    beforeCommit.release();
    const outcomes = await batch;

    expect(outcomes).toEqual([
      { status: 'fulfilled', value: expect.objectContaining({ outcome: 'accepted' }) },
      { status: 'fulfilled', value: expect.objectContaining({ outcome: 'duplicate', orderId: winner.orderId }) },
      { status: 'fulfilled', value: expect.objectContaining({ outcome: 'accepted' }) },
    ]);
    for (const message of [first, contested, last]) {
      expect(await stored(message.externalId)).toEqual({ status: 'CALCULATED', views: 1, events: 1 });
    }
  });

  it('fails an order that another transaction stored first at commit, as a concurrent modification', async () => {
    const contested = anOrderMessage();
    const beforeCommit = checkpoint();

    const loser = unitOfWork.run(async () => {
      const result = await receive(structuredClone(contested));
      await beforeCommit.wait();
      return result;
    });
    await beforeCommit.reached;
    const winner = await receive(contested);
    beforeCommit.release();

    await expect(loser).rejects.toBeInstanceOf(ConcurrentModificationError);
    await expect(receive(contested)).resolves.toMatchObject({ outcome: 'duplicate', orderId: winner.orderId });
    expect(await stored(contested.externalId)).toEqual({ status: 'CALCULATED', views: 1, events: 1 });
  });

  it('rejects a whole batch as retryable when the database is unreachable, and keeps nothing', async () => {
    await database.throughProxy(async (dataSource, proxy) => {
      const unreachable = new TypeOrmUnitOfWork(dataSource);
      const receiveThere = intakeOn(unreachable);
      const batch = [anOrderMessage(), anOrderMessage()];
      await proxy.cut();
      await expect(unreachable.runEach(batch, receiveThere)).rejects.toBeInstanceOf(DependencyUnavailableError);
      for (const message of batch) expect(await stored(message.externalId)).toBeNull();
    });
  });
});
