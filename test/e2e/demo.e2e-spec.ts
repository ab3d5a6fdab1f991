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
 * `npm run demo`, smaller: the built service and the example CLIs as real processes. Keeps the
 * examples honest against the contract (product A's expectations, product B's checks over REST,
 * the payment system's payments and B's back office through the order's whole life).
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
    // The lifecycle: every status reached and agreeing, every bad payment in the DLQ for its reason.
    for (const status of ['CALCULATED', 'PAID', 'PAYMENT_FAILED', 'SHIPPED', 'DELIVERED', 'CANCELLED']) {
      expect(stdout).toMatch(new RegExp(`^${status} .* [1-9]\\d* +ok$`, 'm'));
    }
    for (const reason of ['invalid-payment', 'payment-mismatch', 'unknown-order', 'invalid-transition']) {
      expect(stdout).toMatch(new RegExp(`dead-lettered: ${reason} +([1-9]\\d*) +\\1 +ok`));
    }
    expect(stdout).toMatch(/payments taken as duplicates +([1-9]\d*) +\1 +ok/);
    expect(stdout).toMatch(/changes refused by the service \(409\) +([1-9]\d*) +\1 +ok/);
    expect(stdout).toMatch(/histories read: every order \(\d+\); 0 disagree/);
    const [, database, tag] = /database (\S+), queues (\S+)\.\*/.exec(stderr)!;
    expect(await databaseExists(database)).toBe(false);
    for (const queue of ['order-service.order-placed', 'order-service.payments', 'payment-system.order-events']) {
      expect(await queueExists(`${tag}.${queue}`)).toBe(false);
    }
  });
});
