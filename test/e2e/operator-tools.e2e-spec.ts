import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anItem, anOrderMessage, uniqueExternalId } from '../fixtures/order.mother.js';
import { runBuiltCommand } from '../support/built-command.js';
import { serviceEnvironment } from '../support/order-service.env.js';
import { tearDown } from '../support/tear-down.js';
import { ServiceProcess } from '../support/service-process.js';
import { eventually, TestBroker } from '../support/test-broker.js';
import { TestDatabase } from '../support/test-database.js';

describe('the operator tools, npm run dlq:replay and npm run verify:consistency, beside a running service', () => {
  let database: TestDatabase;
  let broker: TestBroker;
  let service: ServiceProcess;
  let environment: Record<string, string>;
  const poison = anOrderMessage({ externalId: uniqueExternalId('POISON') });
  const invalid = anOrderMessage({ items: [anItem({ quantity: 0 })] });

  const calculatedId = (externalId: string) =>
    eventually(async () => {
      const [row] = await database.query<{ id: string }>(
        `SELECT id FROM orders WHERE external_id = $1 AND status = 'CALCULATED'`,
        [externalId],
      );
      return row?.id;
    });
  const deadLetterCount = (count: number) =>
    eventually(async () => ((await broker.messageCount(broker.names.DEAD_LETTER_QUEUE)) === count ? true : undefined));

  beforeAll(async () => {
    database = await TestDatabase.create();
    broker = await TestBroker.connect();
    environment = serviceEnvironment(database.url, broker.names);
    service = await ServiceProcess.start(environment);
    await database.poisonOrders('POISON-');
  });

  afterAll(() => tearDown({ services: [service], broker, database }));

  it('lists the dead letters on a dry run and, once the cause is fixed, replays the one asked for into a calculated order', async () => {
    await broker.publish(invalid, { messageId: 'invalid' });
    await deadLetterCount(1);
    await broker.publish(poison, { messageId: 'poison' });
    await deadLetterCount(2);

    const dryRun = await runBuiltCommand('cli/dlq-replay', ['--dry-run'], environment);
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout.split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(`^listed\tinvalid\tinvalid-order\t${invalid.externalId}\titems\\[0\\]\\.quantity `),
      ),
      expect.stringMatching(
        new RegExp(`^listed\tpoison\tprocessing-failed\t${poison.externalId}\tProcessing failed 5 times`),
      ),
      `2 of the 2 dead letters in ${broker.names.DEAD_LETTER_QUEUE} match; nothing was replayed (dry run).`,
      '',
    ]);
    expect(await broker.messageCount(broker.names.DEAD_LETTER_QUEUE)).toBe(2);

    await database.curePoisonedOrders();
    const replay = await runBuiltCommand('cli/dlq-replay', ['--reason', 'processing-failed'], environment);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain(`replayed\tpoison\tprocessing-failed\t${poison.externalId}\t`);
    expect(replay.stdout).toContain(
      `Replayed 1 of the 2 dead letters in ${broker.names.DEAD_LETTER_QUEUE} to ${broker.names.INBOUND_EXCHANGE}.`,
    );
    await calculatedId(poison.externalId);
    await deadLetterCount(1);
  });

  it('refuses an unknown reason or a bad limit with its usage', async () => {
    for (const args of [['--reason', 'lost'], ['--limit', 'all'], ['--everything']]) {
      const refused = await runBuiltCommand('cli/dlq-replay', args, environment);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('Usage: npm run dlq:replay');
    }
  });

  it('finds the stores in agreement, then prints the difference an edit of the read table made and exits 1', async () => {
    const consistent = await runBuiltCommand('cli/verify-consistency', [], environment);
    expect(consistent.code).toBe(0);
    expect(consistent.stdout).toBe(
      'Checked 1 orders: the write model, the read table, its statistics and the outbox agree.\n',
    );

    const orderId = await calculatedId(poison.externalId);
    await database.query(`UPDATE order_views SET status = 'RECEIVED' WHERE order_id = $1`, [orderId]);
    const inconsistent = await runBuiltCommand('cli/verify-consistency', [], environment);

    expect(inconsistent.code).toBe(1);
    expect(inconsistent.stdout).toBe(
      `read-table\t${orderId}\t${poison.externalId}\tstatus is CALCULATED in orders but RECEIVED in order_views ` +
        '(CALCULATED in its document)\nChecked 1 orders: 1 difference(s).\n',
    );
  });
});
