import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError, QueryFailedError } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { isTransientPostgresError } from './postgres-errors.js';

describe('isTransientPostgresError', () => {
  it('treats a terminated backend as transient, wrapped or not', () => {
    const terminated = Object.assign(new Error('terminating connection due to administrator command'), {
      code: '57P01',
    });
    expect(isTransientPostgresError(terminated)).toBe(true);
    expect(isTransientPostgresError(new QueryFailedError('COMMIT', [], terminated))).toBe(true);
  });

  it('treats the next statement on a connection TypeORM released after it failed as transient', () => {
    expect(isTransientPostgresError(new QueryRunnerAlreadyReleasedError())).toBe(true);
    expect(isTransientPostgresError(new QueryRunnerProviderAlreadyReleasedError())).toBe(true);
  });

  it('does not retry forever what is wrong with the work itself', () => {
    const violated = Object.assign(new Error('new row violates check constraint'), { code: '23514' });
    expect(isTransientPostgresError(new QueryFailedError('INSERT', [], violated))).toBe(false);
    expect(isTransientPostgresError(new Error('poison order'))).toBe(false);
  });
});
