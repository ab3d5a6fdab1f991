import { QueryFailedError, QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { describe, expect, it } from 'vitest';
import {
  classifyPostgresError,
  type PostgresFailure,
  POSTGRES_FAILURES,
  uniqueViolationOf,
} from './postgres-errors.js';

function withCode(code: string, message = `error ${code}`): Error {
  return Object.assign(new Error(message), { code });
}

/** One row per decision: a code the service can meet, and what it must mean. */
const DECISIONS: ReadonlyArray<readonly [code: string, expected: PostgresFailure, meaning: string]> = [
  ['08000', 'unavailable', 'connection_exception'],
  ['08001', 'unavailable', 'cannot establish a connection'],
  ['08003', 'unavailable', 'connection does not exist'],
  ['08004', 'unavailable', 'server rejected the connection'],
  ['08006', 'unavailable', 'connection failure'],
  ['08P01', 'unavailable', 'protocol violation on a broken connection'],
  ['25006', 'unavailable', 'read-only transaction (a demoted primary)'],
  ['25P03', 'unavailable', 'idle-in-transaction session timeout'],
  ['25P02', 'failed', 'in failed transaction: the earlier error decides'],
  ['25001', 'failed', 'active SQL transaction'],
  ['28000', 'unavailable', 'invalid authorization'],
  ['28P01', 'unavailable', 'password authentication failed'],
  ['3D000', 'unavailable', 'database does not exist'],
  ['40000', 'unavailable', 'transaction rollback'],
  ['40001', 'unavailable', 'serialization failure'],
  ['40003', 'unavailable', 'statement completion unknown'],
  ['40P01', 'unavailable', 'deadlock detected'],
  ['40002', 'failed', 'deferred constraint violated at commit'],
  ['53000', 'unavailable', 'insufficient resources'],
  ['53100', 'unavailable', 'disk full'],
  ['53200', 'unavailable', 'out of memory'],
  ['53300', 'unavailable', 'too many connections'],
  ['53400', 'unavailable', 'configuration limit exceeded'],
  ['55P03', 'unavailable', 'lock not available'],
  ['55006', 'unavailable', 'object in use'],
  ['55000', 'failed', 'object not in prerequisite state'],
  ['57000', 'unavailable', 'operator intervention'],
  ['57014', 'unavailable', 'statement timeout or cancel'],
  ['57P01', 'unavailable', 'admin shutdown (pg_terminate_backend, restart)'],
  ['57P02', 'unavailable', 'crash shutdown'],
  ['57P03', 'unavailable', 'cannot connect now (starting up, recovering)'],
  ['57P04', 'unavailable', 'database dropped'],
  ['57P05', 'unavailable', 'idle session timeout'],
  ['58000', 'unavailable', 'system error'],
  ['58030', 'unavailable', 'I/O error'],
  ['XX000', 'failed', 'internal error'],
  ['XX001', 'failed', 'data corrupted'],
  ['XX002', 'failed', 'index corrupted'],
  ['22003', 'failed', 'numeric value out of range'],
  ['22P02', 'failed', 'invalid text representation'],
  ['23505', 'failed', 'unique violation'],
  ['23514', 'failed', 'check violation'],
  ['42601', 'failed', 'syntax error'],
  ['42P01', 'failed', 'undefined table'],
  ['P0001', 'failed', 'raise exception (a trigger refused the order)'],
  ['ECONNREFUSED', 'unavailable', 'connection refused'],
  ['ECONNRESET', 'unavailable', 'connection reset'],
  ['ECONNABORTED', 'unavailable', 'connection aborted'],
  ['ETIMEDOUT', 'unavailable', 'TCP timeout'],
  ['EPIPE', 'unavailable', 'broken pipe'],
  ['ENOTFOUND', 'unavailable', 'DNS name not found'],
  ['EAI_AGAIN', 'unavailable', 'DNS temporary failure'],
  ['ENETUNREACH', 'unavailable', 'network unreachable'],
  ['EHOSTUNREACH', 'unavailable', 'host unreachable'],
  ['EHOSTDOWN', 'unavailable', 'host down'],
  ['ERR_INVALID_ARG_TYPE', 'failed', 'a bug in the caller'],
];

/** Errors node-postgres raises without a code. */
const MESSAGES: ReadonlyArray<readonly [message: string, expected: PostgresFailure]> = [
  ['Connection terminated unexpectedly', 'unavailable'],
  ['Connection terminated due to connection timeout', 'unavailable'],
  ['terminating connection due to administrator command', 'unavailable'],
  ['timeout exceeded when trying to connect', 'unavailable'],
  ['Query read timeout', 'unavailable'],
  ['Client has encountered a connection error and is not queryable', 'unavailable'],
  ['Client was closed and is not queryable', 'unavailable'],
  ['Cannot use a pool after calling end on the pool', 'unavailable'],
  ['poison order', 'failed'],
];

describe('classifyPostgresError', () => {
  it.each(DECISIONS)('classifies %s as %s (%s)', (code, expected) => {
    expect(classifyPostgresError(withCode(code))).toBe(expected);
  });

  it.each(MESSAGES)('classifies "%s" as %s', (message, expected) => {
    expect(classifyPostgresError(new Error(message))).toBe(expected);
  });

  it('has a test row for every row of the table', () => {
    const tested = DECISIONS.map(([code]) => code);
    for (const key of Object.keys(POSTGRES_FAILURES)) {
      expect(tested.some((code) => code === key || code.startsWith(key))).toBe(true);
    }
  });

  it('looks through TypeORM and cause chains', () => {
    const readOnly = withCode('25006', 'cannot execute INSERT in a read-only transaction');
    expect(classifyPostgresError(new QueryFailedError('INSERT', [], readOnly))).toBe('unavailable');
    expect(classifyPostgresError(new Error('commit failed', { cause: withCode('57P01') }))).toBe('unavailable');
    expect(classifyPostgresError(new QueryFailedError('INSERT', [], withCode('23514')))).toBe('failed');
  });

  it('treats the next statement on a connection TypeORM released after it failed as unavailable', () => {
    expect(classifyPostgresError(new QueryRunnerAlreadyReleasedError())).toBe('unavailable');
    expect(classifyPostgresError(new QueryRunnerProviderAlreadyReleasedError())).toBe('unavailable');
  });

  it('counts what is not an Error at all as a failure', () => {
    expect(classifyPostgresError('boom')).toBe('failed');
    expect(classifyPostgresError(undefined)).toBe('failed');
  });
});

describe('uniqueViolationOf', () => {
  it('finds the constraint and the detail of a unique violation, through TypeORM', () => {
    const violation = Object.assign(withCode('23505', 'duplicate key value violates unique constraint'), {
      constraint: 'order_views_external_id_key',
      detail: 'Key (external_id)=(A-1) already exists.',
    });

    expect(uniqueViolationOf(new QueryFailedError('WITH …', [], violation))).toEqual({
      constraint: 'order_views_external_id_key',
      detail: 'Key (external_id)=(A-1) already exists.',
    });
    expect(uniqueViolationOf(new QueryFailedError('INSERT', [], withCode('23503')))).toBeUndefined();
    expect(uniqueViolationOf('boom')).toBeUndefined();
  });
});
