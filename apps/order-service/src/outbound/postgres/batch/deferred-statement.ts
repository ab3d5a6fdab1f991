/** Rows of a RETURNING clause, as JSON objects (`to_json`: a bigint arrives as a number, a timestamp as text). */
export type ReturnedRows = readonly Record<string, unknown>[];

/** Held-back writes as one data-modifying statement, with its own parameters numbered from $1. */
export interface DeferredStatement {
  readonly sql: string;
  readonly parameters: readonly unknown[];
  /**
   * A second data-modifying statement that reads the rows the first one returned, from the name it
   * is given (its parameters numbered as the first one's).
   */
  readonly dependent?: (returnedBy: string) => string;
  /** Gets what the statement's RETURNING clause gave; may throw to fail the transaction. */
  readonly returned?: (rows: ReturnedRows) => void;
}

/** Writes an adapter holds back until just before commit, to send them with the others in one statement. */
export interface DeferredWrites {
  /** Waits for whatever the adapter is still writing on its own (admissions are answered while the work runs). */
  settle?(): Promise<void>;
  statement(): DeferredStatement | null;
  /** What a failure of the statement that carried these writes means, when they explain it. */
  explain?(error: unknown): Error | undefined;
}

/**
 * Several statements as one: each becomes a data-modifying CTE (Postgres runs every one of them,
 * referenced or not, exactly once, all on the same snapshot), its parameters renumbered after those
 * before it. One round trip for all the tables a batch writes at commit instead of one per table.
 * The statements must touch different tables: none of them sees the others' changes.
 */
export function combinedStatement(statements: readonly DeferredStatement[]): { sql: string; parameters: unknown[] } {
  let offset = 0;
  const parts = statements.flatMap((statement, index) => {
    const shift = offset;
    offset += statement.parameters.length;
    const renumbered = (sql: string) => sql.replace(/\$(\d+)/g, (_, number: string) => `$${Number(number) + shift}`);
    const part = `w${index} AS (${renumbered(statement.sql)})`;
    return statement.dependent ? [part, `w${index}d AS (${renumbered(statement.dependent(`w${index}`))})`] : [part];
  });
  const results = statements.flatMap((statement, index) =>
    statement.returned ? [`SELECT ${index} AS part, to_json(w${index}) AS row FROM w${index}`] : [],
  );
  return {
    sql: `WITH ${parts.join(',\n')}\n${results.length > 0 ? results.join('\nUNION ALL\n') : 'SELECT NULL AS part, NULL AS row WHERE false'}`,
    parameters: statements.flatMap((statement) => statement.parameters),
  };
}

/** Runs the statements as one and hands each its own returned rows. */
export async function runCombined(
  query: (sql: string, parameters: unknown[]) => Promise<{ part: number; row: Record<string, unknown> }[]>,
  statements: readonly DeferredStatement[],
): Promise<void> {
  if (statements.length === 0) return;
  const { sql, parameters } = combinedStatement(statements);
  const rows = await query(sql, parameters);
  statements.forEach((statement, index) =>
    statement.returned?.(rows.filter((row) => row.part === index).map((row) => row.row)),
  );
}
