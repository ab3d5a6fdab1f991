import { describe, expect, it } from 'vitest';
import { combinedStatement, type DeferredStatement, runCombined } from './deferred-statement.js';

const update: DeferredStatement = {
  sql: 'UPDATE a SET x = $2 WHERE id = ANY($1::uuid[]) RETURNING id',
  parameters: [['a1'], 'x'],
  returned: () => undefined,
};
const insert: DeferredStatement = {
  sql: 'INSERT INTO b SELECT * FROM json_to_recordset($1::json)',
  parameters: ['[]'],
};

describe('combinedStatement', () => {
  it('makes each statement a CTE, numbers the parameters on, and selects only what a statement wants back', () => {
    const { sql, parameters } = combinedStatement([update, insert, { ...update, parameters: [['a2'], 'y'] }]);

    expect(sql).toBe(
      [
        'WITH w0 AS (UPDATE a SET x = $2 WHERE id = ANY($1::uuid[]) RETURNING id),',
        'w1 AS (INSERT INTO b SELECT * FROM json_to_recordset($3::json)),',
        'w2 AS (UPDATE a SET x = $5 WHERE id = ANY($4::uuid[]) RETURNING id)',
        'SELECT 0 AS part, to_json(w0) AS row FROM w0',
        'UNION ALL',
        'SELECT 2 AS part, to_json(w2) AS row FROM w2',
      ].join('\n'),
    );
    expect(parameters).toEqual([['a1'], 'x', '[]', ['a2'], 'y']);
  });

  it("runs a statement's dependent beside it, reading its returned rows, on its parameters", () => {
    const withLines: DeferredStatement = {
      sql: 'INSERT INTO a SELECT * FROM json_to_recordset($1::json) RETURNING id',
      parameters: ['[]', '[]'],
      dependent: (returnedBy) =>
        `INSERT INTO b SELECT l.* FROM json_to_recordset($2::json) l JOIN ${returnedBy} USING (id)`,
      returned: () => undefined,
    };

    const { sql, parameters } = combinedStatement([insert, withLines]);

    expect(sql).toBe(
      [
        'WITH w0 AS (INSERT INTO b SELECT * FROM json_to_recordset($1::json)),',
        'w1 AS (INSERT INTO a SELECT * FROM json_to_recordset($2::json) RETURNING id),',
        'w1d AS (INSERT INTO b SELECT l.* FROM json_to_recordset($3::json) l JOIN w1 USING (id))',
        'SELECT 1 AS part, to_json(w1) AS row FROM w1',
      ].join('\n'),
    );
    expect(parameters).toEqual(['[]', '[]', '[]']);
  });

  it('still runs statements that return nothing, and selects no row', () => {
    expect(combinedStatement([insert]).sql).toBe(
      'WITH w0 AS (INSERT INTO b SELECT * FROM json_to_recordset($1::json))\nSELECT NULL AS part, NULL AS row WHERE false',
    );
  });
});

describe('runCombined', () => {
  it('hands every statement its own returned rows, and sends nothing when there is nothing to write', async () => {
    const received: unknown[] = [];
    const first = { ...update, returned: (rows: unknown) => received.push(['first', rows]) };
    const second = { ...update, returned: (rows: unknown) => received.push(['second', rows]) };
    const sent: string[] = [];
    const query = (sql: string) => {
      sent.push(sql);
      return Promise.resolve([
        { part: 1, row: { id: 'b' } },
        { part: 0, row: { id: 'a' } },
      ]);
    };

    await runCombined(query, []);
    expect(sent).toEqual([]);
    await runCombined(query, [first, second]);
    expect(sent).toHaveLength(1);
    expect(received).toEqual([
      ['first', [{ id: 'a' }]],
      ['second', [{ id: 'b' }]],
    ]);
  });
});
