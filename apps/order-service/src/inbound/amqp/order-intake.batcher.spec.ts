import { ReceiveOrderCommand, type ReceiveOrderResult, UnitOfWork } from '@app/ordering';
import type { CommandBus } from '@nestjs/cqrs';
import { describe, expect, it } from 'vitest';
import { idleMetricSources } from '../../../../../test/support/metric-sources.js';
import { OrderServiceMetrics } from '../../observability/order-service.metrics.js';
import { OrderIntakeBatcher, OrderIntakeSettings } from './order-intake.batcher.js';

/** A unit of work whose transactions end when the test says so, recording what each one held. */
class ControlledUnitOfWork extends UnitOfWork {
  readonly batches: string[][] = [];
  private readonly commits: (() => void)[] = [];

  run<T>(work: () => Promise<T>): Promise<T> {
    return work();
  }

  async runEach<I, T>(items: readonly I[], work: (item: I) => Promise<T>): Promise<PromiseSettledResult<T>[]> {
    this.batches.push(items.map((item) => label((item as { command: ReceiveOrderCommand }).command)));
    await new Promise<void>((resolve) => this.commits.push(resolve));
    return Promise.allSettled(items.map(work));
  }

  /** Commits the transaction that started `index`-th (0-based), and lets the batcher react. */
  async commit(index: number): Promise<void> {
    this.commits[index]();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const answer = { execute: (command: ReceiveOrderCommand) => Promise.resolve(label(command)) };

function order(externalId: string, content = 'a'): ReceiveOrderCommand {
  return new ReceiveOrderCommand(
    { externalId, content },
    { messageId: null, correlationId: null, routingKey: 'order.placed' },
  );
}

function label({ body }: ReceiveOrderCommand): string {
  const { externalId = '(none)', content } = body as { externalId?: string; content: string };
  return `${externalId}${content === 'a' ? '' : `:${content}`}`;
}

function batcher(unitOfWork: ControlledUnitOfWork, batchSize = 10): OrderIntakeBatcher {
  return new OrderIntakeBatcher(
    answer as unknown as CommandBus,
    unitOfWork,
    new OrderIntakeSettings({ batchSize, batchesInFlight: 2 }),
    new OrderServiceMetrics(idleMetricSources),
  );
}

describe('OrderIntakeBatcher', () => {
  it('handles an order at once when idle, and gathers the orders that arrive while a transaction is busy', async () => {
    const unitOfWork = new ControlledUnitOfWork();
    const intake = batcher(unitOfWork);

    const results = ['A', 'B', 'C', 'D', 'E'].map((id) => intake.submit(order(id)));
    // Fewer than a full batch wait: they share the next transaction rather than start one each.
    expect(unitOfWork.batches).toEqual([['A']]);
    await unitOfWork.commit(0);
    expect(unitOfWork.batches).toEqual([['A'], ['B', 'C', 'D', 'E']]);
    await unitOfWork.commit(1);

    expect(await Promise.all(results)).toEqual(['A', 'B', 'C', 'D', 'E'] as unknown as ReceiveOrderResult[]);
  });

  it('starts a second transaction for a full batch waiting, never a third', async () => {
    const unitOfWork = new ControlledUnitOfWork();
    const intake = batcher(unitOfWork);

    const ids = Array.from({ length: 32 }, (_, index) => `O${index}`);
    const results = ids.map((id) => intake.submit(order(id)));
    // O0 alone; O1–O10 make the first full batch waiting, which starts at once; O11–O31 wait.
    expect(unitOfWork.batches).toEqual([['O0'], ids.slice(1, 11)]);
    await unitOfWork.commit(0);
    expect(unitOfWork.batches).toEqual([['O0'], ids.slice(1, 11), ids.slice(11, 21)]);
    await unitOfWork.commit(1);
    await unitOfWork.commit(2);
    await unitOfWork.commit(3);

    expect(unitOfWork.batches.slice(3)).toEqual([ids.slice(21, 31), ['O31']]);
    await unitOfWork.commit(4);
    expect(await Promise.all(results)).toEqual(ids as unknown as ReceiveOrderResult[]);
  });

  it('never lets a later delivery of an externalId commit before an earlier one still in flight', async () => {
    const unitOfWork = new ControlledUnitOfWork();
    // Batches of two, so that Y and the other X make a full batch and start a second transaction.
    const intake = batcher(unitOfWork, 2);

    const results = [order('X'), order('Y'), order('X', 'conflicting'), order('Z')].map((command) =>
      intake.submit(command),
    );
    // X is in flight, so the second batch stops before the other X, and Z waits behind it.
    expect(unitOfWork.batches).toEqual([['X'], ['Y']]);
    await unitOfWork.commit(1);
    expect(unitOfWork.batches).toHaveLength(2);
    await unitOfWork.commit(0);
    expect(unitOfWork.batches).toEqual([['X'], ['Y'], ['X:conflicting', 'Z']]);
    await unitOfWork.commit(2);

    expect(await Promise.all(results)).toEqual(['X', 'Y', 'X:conflicting', 'Z'] as unknown as ReceiveOrderResult[]);
  });

  it('keeps deliveries of one externalId, and bodies that claim none, in the batch they arrive in', async () => {
    const unitOfWork = new ControlledUnitOfWork();
    const intake = batcher(unitOfWork);

    for (const command of [order('V'), order('W'), order('X'), order('X', 'again')]) void intake.submit(command);
    void intake.submit(
      new ReceiveOrderCommand({ content: 'b' }, { messageId: null, correlationId: null, routingKey: 'order.placed' }),
    );
    await unitOfWork.commit(0);

    expect(unitOfWork.batches).toEqual([['V'], ['W', 'X', 'X:again', '(none):b']]);
  });
});
