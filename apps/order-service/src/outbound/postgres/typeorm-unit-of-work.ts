import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { DependencyUnavailableError, type Order, UnitOfWork } from '@app/ordering';
import { DataSource, type EntityManager } from 'typeorm';
import { isTransientPostgresError } from './postgres-errors.js';

/** The transaction that a unit of work runs in, and the aggregates it has already loaded. */
export interface TransactionScope {
  readonly manager: EntityManager;
  readonly loaded: Map<string, Order>;
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

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.scope.getStore()) return work();
    try {
      return await this.dataSource.transaction((manager) => this.scope.run({ manager, loaded: new Map() }, work));
    } catch (error) {
      throw isTransientPostgresError(error) ? new DependencyUnavailableError('PostgreSQL', error) : error;
    }
  }
}
