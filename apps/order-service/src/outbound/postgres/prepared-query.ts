import { createHash } from 'node:crypto';
import type pg from 'pg';
import { type EntityManager, QueryRunnerAlreadyReleasedError } from 'typeorm';

const names = new Map<string, string>();

/** One name per statement text, so a connection never sees one name with two texts. */
function statementName(sql: string): string {
  let name = names.get(sql);
  if (!name) names.set(sql, (name = `intake_${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`));
  return name;
}

/**
 * One of the intake's statements on the transaction's connection, as a named prepared statement:
 * Postgres parses and plans each text once per connection rather than once per transaction. At a
 * moderate rate most transactions hold one order, and this was a third of their backend CPU (1.75
 * ms unnamed, 1.0–1.3 ms prepared, for one order). TypeORM's `query` cannot name a statement, so
 * this goes to the driver's client of the transaction's query runner.
 */
export async function preparedQuery<T>(
  manager: EntityManager,
  sql: string,
  parameters: readonly unknown[],
): Promise<T[]> {
  const runner = manager.queryRunner;
  // As TypeORM's own query would: a runner released after its connection died is a transient error.
  if (!runner || runner.isReleased) throw new QueryRunnerAlreadyReleasedError();
  const client = (await runner.connect()) as pg.ClientBase;
  const result = await client.query<T & pg.QueryResultRow>({
    name: statementName(sql),
    text: sql,
    values: [...parameters],
  });
  return result.rows;
}
