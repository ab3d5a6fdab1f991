import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { DependencyUnavailableError, type Order, UnitOfWork } from '@app/ordering';
import { DataSource, type EntityManager } from 'typeorm';
import { type DeferredWrites, runCombined } from './batch/deferred-statement.js';
import { driverPool } from './data-source.js';
import { isTransientPostgresError } from './postgres-errors.js';
import { failed, type Span, startSpan, withSpan } from '../../observability/tracing/spans.js';

/** One Postgres transaction: what its work has loaded, deferred and scheduled for after the commit. */
class Transaction {
  readonly loaded = new Map<string, Order>();
  readonly afterCommit = new Set<() => void>();
  private readonly deferred = new Map<object, DeferredWrites>();

  constructor(readonly manager: EntityManager) {}

  deferredWrites<T extends DeferredWrites>(owner: object, create: () => T): T {
    let writes = this.deferred.get(owner) as T | undefined;
    if (!writes) this.deferred.set(owner, (writes = create()));
    return writes;
  }

  /** Every adapter's held-back writes in one statement, in the order they first deferred something. */
  async flush(): Promise<void> {
    const deferred = [...this.deferred.values()];
    for (const writes of deferred) await writes.settle?.();
    const statements = deferred.flatMap((writes) => writes.statement() ?? []);
    try {
      await runCombined((sql, parameters) => this.manager.query(sql, parameters), statements);
    } catch (error) {
      throw deferred.map((writes) => writes.explain?.(error)).find(Boolean) ?? error;
    }
  }
}

/** The transaction as one item of the work sees it, and whether that item wrote anything. */
export class TransactionScope {
  written = false;

  constructor(private readonly transaction: Transaction) {}

  get manager(): EntityManager {
    return this.transaction.manager;
  }

  get loaded(): Map<string, Order> {
    return this.transaction.loaded;
  }

  get afterCommit(): Set<() => void> {
    return this.transaction.afterCommit;
  }

  /** The transaction's buffer of `owner`'s writes, shared by all the items of the transaction. */
  shared<T extends DeferredWrites>(owner: object, create: () => T): T {
    return this.transaction.deferredWrites(owner, create);
  }

  /** Like `shared`, for a buffer that this item is about to write to. */
  defer<T extends DeferredWrites>(owner: object, create: () => T): T {
    this.written = true;
    return this.shared(owner, create);
  }
}

/** Thrown inside the transaction to roll it back so that its items run again one by one. */
class RunAlone extends Error {}

/**
 * One Postgres transaction per outermost `run` or `runEach`, carried to the adapters through
 * AsyncLocalStorage so that handlers never pass a transaction around. Adapters defer their writes
 * to the transaction, which sends them all as one statement right before COMMIT: a batch of orders
 * costs a handful of statements, not a handful per order.
 */
@Injectable()
export class TypeOrmUnitOfWork extends UnitOfWork {
  private readonly scope = new AsyncLocalStorage<TransactionScope>();

  constructor(private readonly dataSource: DataSource) {
    super();
  }

  current(): TransactionScope | undefined {
    return this.scope.getStore();
  }

  /** Runs `work` in the current transaction, or in a transaction of its own outside a unit of work. */
  inScope<T>(work: (scope: TransactionScope) => Promise<T>): Promise<T> {
    const scope = this.scope.getStore();
    return scope ? work(scope) : this.run(() => this.inScope(work));
  }

  /** The current transaction's manager, or the pool's outside a unit of work (a plain read). */
  manager(): EntityManager {
    return this.scope.getStore()?.manager ?? this.dataSource.manager;
  }

  /** One statement: in the current transaction, or else straight on the driver's pool (see driverPool). */
  async query<T>(sql: string, parameters: unknown[]): Promise<T[]> {
    const scope = this.scope.getStore();
    if (scope) return scope.manager.query<T[]>(sql, parameters);
    try {
      return (await driverPool(this.dataSource).query(sql, parameters)).rows as T[];
    } catch (error) {
      throw unavailableOr(error);
    }
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.scope.getStore()) return work();
    const [result] = await this.inTransaction(async (transaction) => [
      await this.scope.run(new TransactionScope(transaction), work),
    ]);
    return result;
  }

  async runEach<I, T>(items: readonly I[], work: (item: I) => Promise<T>): Promise<PromiseSettledResult<T>[]> {
    if (items.length === 1) return [await this.settledAlone(items[0], work)];
    try {
      return await this.inTransaction(async (transaction) => {
        const scopes = items.map(() => new TransactionScope(transaction));
        const outcomes = await Promise.allSettled(
          items.map((item, index) => this.scope.run(scopes[index], () => work(item))),
        );
        const failures = outcomes.flatMap((outcome) =>
          outcome.status === 'rejected' ? [outcome.reason as unknown] : [],
        );
        const transient = failures.find(isUnavailable);
        if (transient) throw asUnavailable(transient);
        if (
          failedTogether(failures) ||
          outcomes.some((outcome, index) => outcome.status === 'rejected' && scopes[index].written)
        )
          throw new RunAlone();
        return outcomes;
      });
    } catch (error) {
      if (isUnavailable(error)) throw error;
      // A failed item had written, items failed in a statement they shared, or the flush failed:
      // keep no part of the batch, and let each item succeed or fail on its own.
      const alone: PromiseSettledResult<T>[] = [];
      for (const item of items) alone.push(await this.settledAlone(item, work));
      return alone;
    }
  }

  private async settledAlone<I, T>(item: I, work: (item: I) => Promise<T>): Promise<PromiseSettledResult<T>> {
    try {
      return { status: 'fulfilled', value: await this.run(() => work(item)) };
    } catch (reason) {
      if (isUnavailable(reason)) throw reason;
      return { status: 'rejected', reason };
    }
  }

  /**
   * `work`, then the held-back writes and COMMIT: the `commit` span, which covers the statement
   * that writes them and the WAL flush the commit waits for.
   */
  private async inTransaction<T>(work: (transaction: Transaction) => Promise<T>): Promise<T> {
    let committed: Transaction | undefined;
    let commit: Span | undefined;
    let result: T;
    try {
      result = await this.dataSource.transaction(async (manager) => {
        const transaction = new Transaction(manager);
        const outcome = await work(transaction);
        commit = startSpan('commit', {});
        await withSpan(commit, () => transaction.flush());
        committed = transaction;
        return outcome;
      });
    } catch (error) {
      if (commit) failed(commit, error);
      throw unavailableOr(error);
    } finally {
      commit?.end();
    }
    committed?.afterCommit.forEach((callback) => callback());
    return result;
  }
}

/**
 * One error for several items: a statement they joined failed (a read they shared), and it may be
 * any one's fault, so it is no item's answer.
 */
function failedTogether(failures: readonly unknown[]): boolean {
  return new Set(failures).size < failures.length;
}

/** A dropped or absent database as DependencyUnavailableError (retry, 503); any other error as it is. */
function unavailableOr(error: unknown): unknown {
  return isTransientPostgresError(error) ? new DependencyUnavailableError('PostgreSQL', error) : error;
}

function asUnavailable(error: unknown): DependencyUnavailableError {
  return error instanceof DependencyUnavailableError ? error : new DependencyUnavailableError('PostgreSQL', error);
}

function isUnavailable(error: unknown): boolean {
  return error instanceof DependencyUnavailableError || isTransientPostgresError(error);
}
