import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { DependencyUnavailableError, type Order, UnitOfWork } from '@app/ordering';
import { DataSource, type EntityManager } from 'typeorm';
import { isTransientPostgresError } from './postgres-errors.js';

/** The transaction that a unit of work runs in, the aggregates it has loaded, and what follows its commit. */
export interface TransactionScope {
  readonly manager: EntityManager;
  readonly loaded: Map<string, Order>;
  /** Called once the transaction has committed, never after a rollback. */
  readonly afterCommit: Set<() => void>;
}

/**
 * One Postgres transaction per outermost `run`, carried to the repositories through
 * AsyncLocalStorage so that handlers never pass a transaction around.
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

  /** The current transaction's manager, or the pool's outside a unit of work (a plain read). */
  manager(): EntityManager {
    return this.scope.getStore()?.manager ?? this.dataSource.manager;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.scope.getStore()) return work();
    const afterCommit = new Set<() => void>();
    let result: T;
    try {
      result = await this.dataSource.transaction((manager) =>
        this.scope.run({ manager, loaded: new Map(), afterCommit }, work),
      );
    } catch (error) {
      throw isTransientPostgresError(error) ? new DependencyUnavailableError('PostgreSQL', error) : error;
    }
    afterCommit.forEach((callback) => callback());
    return result;
  }
}
