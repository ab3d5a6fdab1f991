import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anOrderMessage } from '../fixtures/order.mother.js';
import { type CorpusMessage, corpusCase, namesField, writeCase } from '../fixtures/order-message.corpus.js';
import { OrderApi } from '../support/order-api.js';
import { serviceEnvironment } from '../support/order-service.env.js';
import { ServiceProcess } from '../support/service-process.js';
import { tearDown } from '../support/tear-down.js';
import { eventually, TestBroker } from '../support/test-broker.js';
import { TestDatabase } from '../support/test-database.js';

/** Fixed, so that every run sends the same mix; change it to explore another. */
const SEED = Number(process.env.CORPUS_SEED ?? 20261123);
const CORPUS_SIZE = 300;
const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

interface StoredOrder {
  external_id: string;
  status: string;
  total: string;
  item_count: number;
}

describe('the bad-input corpus, sent through the running service', () => {
  let database: TestDatabase;
  let broker: TestBroker;
  let service: ServiceProcess;

  const calculatedCount = async () =>
    Number((await database.query<{ n: string }>(`SELECT count(*) AS n FROM orders WHERE status = 'CALCULATED'`))[0].n);

  beforeAll(async () => {
    database = await TestDatabase.create();
    broker = await TestBroker.connect();
    service = await ServiceProcess.start(
      serviceEnvironment(database.url, broker.names, { INBOUND_MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES) }),
    );
  });

  afterAll(() => tearDown({ services: [service], broker, database }));

  it(`dead-letters every bad message of ${CORPUS_SIZE} with its reason and field, and calculates every valid one exactly`, async () => {
    const corpus = fc
      .sample(corpusCase, { numRuns: CORPUS_SIZE, seed: SEED })
      .map((generated, index) => writeCase(generated, `c${index}-`));
    const valid = corpus.filter((message) => message.expected.outcome === 'calculated');
    const rejected = new Map<string, CorpusMessage>(
      corpus.flatMap((message, index) =>
        message.expected.outcome === 'rejected' ? [[`corpus-${index}`, message] as const] : [],
      ),
    );
    for (const [index, message] of corpus.entries()) {
      await broker.publish(message.body, { messageId: `corpus-${index}` });
    }

    await eventually(async () => ((await calculatedCount()) === valid.length ? true : undefined), 60_000, 'valid');
    const deadLetters = await eventually(
      async () =>
        (await broker.messageCount(broker.names.DEAD_LETTER_QUEUE)) >= rejected.size
          ? broker.drain(broker.names.DEAD_LETTER_QUEUE)
          : undefined,
      60_000,
      'dead letters',
    );
    await eventually(async () => ((await broker.messageCount(broker.names.INBOUND_QUEUE)) === 0 ? true : undefined));

    const wrong: string[] = [];
    const seen = new Set<string>();
    for (const dead of deadLetters) {
      const messageId = String(dead.properties.messageId);
      const message = rejected.get(messageId);
      const reason = String(dead.properties.headers?.['x-rejection-reason']);
      const detail = String(dead.properties.headers?.['x-rejection-detail']);
      seen.add(messageId);
      if (!message || message.expected.outcome !== 'rejected') {
        wrong.push(`${messageId} was dead-lettered (${reason}: ${detail}) but is valid`);
      } else if (reason !== message.expected.reason || !namesField(detail, message.expected.field)) {
        wrong.push(
          `${messageId} ${message.label}: expected ${message.expected.reason} naming ${message.expected.field}, got ${reason}: ${detail}`,
        );
      } else if (!dead.content.equals(message.body)) {
        wrong.push(`${messageId} ${message.label}: the dead letter's body is not the original`);
      }
    }
    for (const [messageId, message] of rejected) {
      if (!seen.has(messageId)) wrong.push(`${messageId} ${message.label}: not dead-lettered`);
    }
    const stored = await database.query<StoredOrder>('SELECT external_id, status, total, item_count FROM orders');
    const byExternalId = new Map(stored.map((order) => [order.external_id, order]));
    for (const message of valid) wrong.push(...differences(message, byExternalId.get(message.externalId)));

    expect(wrong).toEqual([]);
    expect(stored).toHaveLength(valid.length);
    expect(valid.length).toBeGreaterThan(CORPUS_SIZE / 4);
    expect(rejected.size).toBeGreaterThan(CORPUS_SIZE / 4);
  });

  it('is still running and consuming afterwards', async () => {
    expect((await new OrderApi(service.baseUrl).anonymous('/health/ready')).status).toBe(200);
    const after = anOrderMessage();
    await broker.publish(after);
    await eventually(async () => {
      const rows = await database.query('SELECT 1 FROM orders WHERE external_id = $1', [after.externalId]);
      return rows.length === 1 ? true : undefined;
    });
  });

  it('dead-letters a message one byte over the size limit unread, and takes the same order at the limit', async () => {
    const order = anOrderMessage();
    const padded = (size: number) => {
      const json = JSON.stringify(order);
      return Buffer.from(json.slice(0, -1) + ' '.repeat(size - json.length) + '}');
    };
    await broker.publish(padded(MAX_MESSAGE_BYTES + 1), { messageId: 'oversized' });

    const [dead] = await eventually(async () => {
      const drained = await broker.drain(broker.names.DEAD_LETTER_QUEUE);
      return drained.length > 0 ? drained : undefined;
    });
    expect(dead.properties.messageId).toBe('oversized');
    expect(dead.properties.headers?.['x-rejection-reason']).toBe('invalid-order');
    expect(dead.properties.headers?.['x-rejection-detail']).toMatch(
      `The message body is ${MAX_MESSAGE_BYTES + 1} bytes, over the limit of ${MAX_MESSAGE_BYTES} bytes`,
    );
    expect(dead.content.length).toBe(MAX_MESSAGE_BYTES + 1);

    await broker.publish(padded(MAX_MESSAGE_BYTES), { messageId: 'at-the-limit' });
    await eventually(async () => {
      const rows = await database.query<StoredOrder>('SELECT status FROM orders WHERE external_id = $1', [
        order.externalId,
      ]);
      return rows[0]?.status === 'CALCULATED' ? true : undefined;
    });
  });
});

function differences(message: CorpusMessage, stored: StoredOrder | undefined): string[] {
  if (message.expected.outcome !== 'calculated') return [];
  if (!stored) return [`${message.externalId} ${message.label}: not stored`];
  const expected = message.expected;
  return stored.status === 'CALCULATED' && stored.total === expected.total && stored.item_count === expected.itemCount
    ? []
    : [
        `${message.externalId} ${message.label}: expected ${JSON.stringify(expected)}, stored ${JSON.stringify(stored)}`,
      ];
}
