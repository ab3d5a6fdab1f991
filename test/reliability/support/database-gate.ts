import { randomBytes, randomInt } from 'node:crypto';
import pg from 'pg';
import { eventually } from '../../support/test-broker.js';
import type { TestDatabase } from '../../support/test-database.js';

/**
 * A gate inside one of the service's statements, for freezing it at an exact point: a statement
 * trigger takes a shared advisory lock that the test holds exclusively while the gate is closed.
 * The service's transaction stops right there, uncommitted, until the gate opens or the test kills
 * the process. No fixed sleep anywhere: the test asks Postgres who is waiting.
 */
export class DatabaseGate {
  private constructor(
    private readonly database: TestDatabase,
    private readonly session: pg.Client,
    private readonly key: number,
  ) {}

  /** `event` is the trigger's timing and event on `table`, e.g. `BEFORE INSERT`. */
  static async install(database: TestDatabase, event: string, table: string): Promise<DatabaseGate> {
    const name = `reliability_gate_${randomBytes(4).toString('hex')}`;
    const key = randomInt(1, 2 ** 31 - 1);
    await database.query(`
      CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_advisory_xact_lock_shared(${key}); RETURN NULL; END $$`);
    await database.query(`CREATE TRIGGER ${name} ${event} ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION ${name}()`);
    const session = new pg.Client({ connectionString: database.url, application_name: name });
    session.on('error', () => undefined); // the database is dropped under it at the end of the scenario
    await session.connect();
    return new DatabaseGate(database, session, key);
  }

  /** Returns once the transactions already through the gate have ended; the ones after them wait at it. */
  async close(): Promise<void> {
    await this.session.query('SELECT pg_advisory_lock($1)', [this.key]);
  }

  async open(): Promise<void> {
    await this.session.query('SELECT pg_advisory_unlock($1)', [this.key]);
  }

  /** Waits until a backend of `applicationName` (a service's SERVICE_NAME) waits at the gate. */
  async untilHolding(applicationName: string, timeoutMs: number): Promise<void> {
    await eventually(
      async () => {
        const [{ waiting }] = await this.database.query<{ waiting: boolean }>(
          `SELECT count(*) > 0 AS waiting FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
           WHERE a.datname = current_database() AND a.application_name = $1
             AND l.locktype = 'advisory' AND NOT l.granted AND l.objid = $2`,
          [applicationName, this.key],
        );
        return waiting || undefined;
      },
      timeoutMs,
      `${applicationName} held at the gate`,
    );
  }

  /** Opens the gate for good (the trigger stays, and lets everything through). */
  async disconnect(): Promise<void> {
    await this.session.end();
  }
}
