import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import amqp from 'amqplib';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { RABBITMQ_URL } from '../support/test-broker.js';

const DEMO = fileURLToPath(new URL('../../dist/apps/demo/src/main.js', import.meta.url));

async function databaseExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await client.connect();
  try {
    return (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  } finally {
    await client.end();
  }
}

async function queueExists(name: string): Promise<boolean> {
  const connection = await amqp.connect(RABBITMQ_URL);
  try {
    const channel = await connection.createChannel();
    channel.on('error', () => undefined); // a 404 closes the channel; the rejected check says it
    return await channel.checkQueue(name).then(
      () => true,
      () => false,
    );
  } finally {
    await connection.close().catch(() => undefined);
  }
}

/*
 * `npm run demo`, smaller: the built service and both example CLIs as real processes. Keeps the
 * examples honest against the contract (product A's expectations, product B's checks over REST).
 */
describe('npm run demo', () => {
  it('ends with every figure as product A expected, and leaves nothing behind', async () => {
    // A failed demo exits non-zero: its output, not just its exit code, is what the assertions show.
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [DEMO, '--count', '1200', '--seed', '11'], {
      timeout: 110_000,
      env: { ...process.env, RABBITMQ_URL },
    }).catch((error: { stdout: string; stderr: string }) => error);
    expect(`${stdout}\n${stderr}`).toContain('everything agrees');
    expect(stdout).not.toContain('DIFFERS');
    expect(stdout).toMatch(/rejected: duplicate-conflict +[1-9]/); // the mix exercised every path
    const [, database, tag] = /database (\S+), queues (\S+)\.\*/.exec(stderr)!;
    expect(await databaseExists(database)).toBe(false);
    expect(await queueExists(`${tag}.order-service.order-placed`)).toBe(false);
  });
});
