import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';

/**
 * `unavailable`: the database is not there, not writable or dropped the work (failover, restart,
 * overload, a network fault); nothing was committed and the work is retried until Postgres answers,
 * however long that takes. `failed`: something about this work; it counts towards the bounded attempts.
 */
export type PostgresFailure = 'unavailable' | 'failed';

/**
 * Every error the service can meet on its way to Postgres, decided once. Keys are a SQLSTATE, a
 * SQLSTATE class (its first two characters), or a Node.js system error code; an exact SQLSTATE wins
 * over its class. The rule: an error that says nothing about the order (the server, the network,
 * the credentials, the cluster's role) is `unavailable`; anything the order's data or the code could
 * cause is `failed`. An error in none of these rows is `failed`.
 */
export const POSTGRES_FAILURES: Readonly<Record<string, PostgresFailure>> = {
  '08': 'unavailable', // connection exception: refused, lost, rejected at establishment
  '25006': 'unavailable', // read_only_sql_transaction: a demoted primary, or a standby behind a stale DNS entry
  '25P03': 'unavailable', // idle_in_transaction_session_timeout: the server ended a session we were not using
  '25': 'failed', // invalid transaction state: a consequence of an earlier error, which decides
  '28': 'unavailable', // invalid authorization: credentials rotated or revoked; no order is at fault
  '3D': 'unavailable', // invalid catalog name: the database is not (yet) there, e.g. a restore in progress
  '40001': 'unavailable', // serialization_failure
  '40003': 'unavailable', // statement_completion_unknown: the connection went during the statement
  '40P01': 'unavailable', // deadlock_detected: the other transaction won; ours runs again
  '40002': 'failed', // transaction_integrity_constraint_violation: a deferred constraint, about the data
  '40': 'unavailable', // transaction rollback, in general
  '53': 'unavailable', // insufficient resources: disk full, out of memory, too many connections
  '55P03': 'unavailable', // lock_not_available (lock_timeout)
  '55006': 'unavailable', // object_in_use
  '57': 'unavailable', // operator intervention: statement timeout or cancel, admin/crash shutdown, starting up
  '58': 'unavailable', // system error: I/O error on the server
  XX000: 'failed', // internal_error: usually deterministic for the same data; the minimum time still applies
  XX: 'failed', // data or index corrupted
  ECONNREFUSED: 'unavailable',
  ECONNRESET: 'unavailable',
  ECONNABORTED: 'unavailable',
  ETIMEDOUT: 'unavailable',
  EPIPE: 'unavailable',
  ENOTFOUND: 'unavailable', // the DNS name is gone, e.g. during a failover's record change
  EAI_AGAIN: 'unavailable',
  ENETUNREACH: 'unavailable',
  EHOSTUNREACH: 'unavailable',
  EHOSTDOWN: 'unavailable',
};

/**
 * node-postgres and its pool raise these without a code: a connection ended mid-query, a
 * `query_timeout` or connect timeout, a client or pool already closed (the service is stopping).
 */
const UNAVAILABLE_MESSAGES =
  /Connection terminated|terminating connection|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|Connection is not established|Client was closed and is not queryable|Cannot use a pool after calling end|connect ECONNREFUSED/i;

/**
 * When a connection fails between two statements of a transaction (no query running), TypeORM
 * releases it at once, and the transaction's next statement fails with one of these instead of
 * the connection's error.
 */
const CONNECTION_RELEASED = [QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError];

/** How an error from Postgres (or on the way to it), wrapped by TypeORM or not, is to be handled. */
export function classifyPostgresError(error: unknown): PostgresFailure {
  for (const current of wrappedErrors(error)) {
    if (CONNECTION_RELEASED.some((type) => current instanceof type)) return 'unavailable';
    const code = (current as { code?: unknown }).code;
    const classified = typeof code === 'string' ? failureOfCode(code) : undefined;
    if (classified) return classified;
    if (UNAVAILABLE_MESSAGES.test(current.message)) return 'unavailable';
  }
  return 'failed';
}

/** The constraint a unique violation (23505) names and its detail ("Key (…)=(…) already exists."). */
export function uniqueViolationOf(error: unknown): { constraint: string; detail: string } | undefined {
  for (const current of wrappedErrors(error)) {
    const { code, constraint, detail } = current as { code?: unknown; constraint?: string; detail?: string };
    if (code === '23505') return { constraint: constraint ?? '', detail: detail ?? '' };
  }
  return undefined;
}

/** An error and what it wraps (TypeORM's driverError, a cause), outermost first. */
function* wrappedErrors(error: unknown): Generator<Error> {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    yield current;
    current = (current as { driverError?: unknown }).driverError ?? current.cause;
  }
}

export function isTransientPostgresError(error: unknown): boolean {
  return classifyPostgresError(error) === 'unavailable';
}

function failureOfCode(code: string): PostgresFailure | undefined {
  return POSTGRES_FAILURES[code] ?? (/^[0-9A-Z]{5}$/.test(code) ? POSTGRES_FAILURES[code.slice(0, 2)] : undefined);
}
