import { expect, type TestContext } from 'vitest';
import { queueMessages } from '../../support/rabbitmqctl.js';
import { eventually } from '../../support/test-broker.js';
import { type FaultScenario, PATIENCE_MS } from './fault-scenario.js';

export interface ExpectedDeadLetter {
  readonly messageId: string;
  readonly reason: string;
}

/** What a scenario's input must have come to, whatever faults it went through. */
export interface ExpectedOutcome {
  /** externalIds of the valid orders published (each any number of times). */
  readonly accepted: readonly string[];
  /** Exactly what the DLQ must hold; nothing when left out. */
  readonly deadLettered?: readonly ExpectedDeadLetter[];
}

export interface InvariantCounts {
  readonly accepted: number;
  /** Accepted orders missing, or not CALCULATED, in the write model or the read table, or never published. */
  readonly lost: number;
  /** Accepted orders with more than one row in a table, or more than one eventId seen by product B. */
  readonly duplicated: number;
  /** Orders or events that no accepted message asked for (or an event that is not the outbox's). */
  readonly invented: number;
  readonly deadLettered: number;
  readonly unexpectedDeadLetters: number;
  readonly missingDeadLetters: number;
  /** Deliveries of an eventId product B had already handled: allowed (at least once), deduplicated. */
  readonly eventRedeliveries: number;
  /** Messages left in the inbound queue, ready or unacknowledged. */
  readonly inboundLeft: number;
}

interface PerOrder {
  external_id: string;
  orders: number;
  calculated: boolean;
  views: number;
  view_calculated: boolean;
  events: number;
  event_id: string | null;
  published: boolean;
}

/*
 * Every externalId the database knows, whichever table it is in, with what each table holds for it.
 * The outbox is reached through the orders, so an outbox row without an order shows as `orphans`.
 */
const PER_ORDER = `
  WITH o AS (
    SELECT external_id, count(*)::int AS orders, bool_and(status = 'CALCULATED') AS calculated, min(id::text) AS id
    FROM orders GROUP BY external_id
  ), v AS (
    SELECT external_id, count(*)::int AS views, bool_and(status = 'CALCULATED') AS view_calculated
    FROM order_views GROUP BY external_id
  ), x AS (
    SELECT aggregate_id::text AS id, count(*)::int AS events, min(event_id::text) AS event_id,
           bool_and(published_at IS NOT NULL) AS published
    FROM outbox GROUP BY aggregate_id
  )
  SELECT coalesce(o.external_id, v.external_id) AS external_id,
         coalesce(o.orders, 0) AS orders, coalesce(o.calculated, false) AS calculated,
         coalesce(v.views, 0) AS views, coalesce(v.view_calculated, false) AS view_calculated,
         coalesce(x.events, 0) AS events, x.event_id, coalesce(x.published, false) AS published
  FROM o FULL JOIN v ON v.external_id = o.external_id LEFT JOIN x ON x.id = o.id`;
const ORPHAN_EVENTS = `
  SELECT count(*)::int AS orphans FROM outbox WHERE aggregate_id NOT IN (SELECT id FROM orders)`;

/**
 * The one check every scenario ends with: every accepted externalId exactly once in `orders` and
 * `order_views`, CALCULATED; its OrderCalculated published, seen by product B under exactly one
 * eventId (the outbox's); the inbound queue empty; the DLQ holding exactly the expected rejects.
 * Annotates the test with the counts (the reporters print them), then asserts them.
 */
export async function expectInvariants(
  context: TestContext,
  scenario: FaultScenario,
  expected: ExpectedOutcome,
): Promise<InvariantCounts> {
  const counts = await countInvariants(scenario, expected);
  await context.annotate(formatCounts(counts), 'invariants');
  expect(counts).toMatchObject({
    lost: 0,
    duplicated: 0,
    invented: 0,
    unexpectedDeadLetters: 0,
    missingDeadLetters: 0,
    inboundLeft: 0,
  });
  return counts;
}

function formatCounts(counts: InvariantCounts): string {
  return [
    `accepted=${counts.accepted}`,
    `lost=${counts.lost}`,
    `duplicated=${counts.duplicated}`,
    `invented=${counts.invented}`,
    `dead-lettered=${counts.deadLettered}`,
    `unexpected-dead-letters=${counts.unexpectedDeadLetters}`,
    `missing-dead-letters=${counts.missingDeadLetters}`,
    `event-redeliveries=${counts.eventRedeliveries}`,
    `inbound-left=${counts.inboundLeft}`,
  ].join(' ');
}

async function countInvariants(scenario: FaultScenario, expected: ExpectedOutcome): Promise<InvariantCounts> {
  const accepted = new Set(expected.accepted);
  const expectedDeadLetters = expected.deadLettered ?? [];
  // Settled, or out of patience: either way the counts below say what the scenario came to.
  const inboundLeft = await eventually(
    () => settled(scenario, accepted, expectedDeadLetters.length),
    PATIENCE_MS,
    'settled',
  )
    .then(() => 0)
    .catch(async (error: unknown) => {
      console.log(`[reliability] ${(error as Error).message}; counting what is there`);
      return queueMessages(scenario.names.INBOUND_QUEUE, scenario.servers.broker);
    });

  const rows = await scenario.database.query<PerOrder>(PER_ORDER);
  const [{ orphans }] = await scenario.database.query<{ orphans: number }>(ORPHAN_EVENTS);
  const byExternalId = new Map(rows.map((row) => [row.external_id, row]));
  const eventIdsSeen = new Map<string, Set<string>>();
  for (const { message } of scenario.productB.handled.values()) {
    const seen = eventIdsSeen.get(message.externalId) ?? new Set<string>();
    eventIdsSeen.set(message.externalId, seen.add(message.eventId));
  }

  let lost = 0;
  let duplicated = 0;
  let invented = orphans;
  for (const externalId of accepted) {
    const row = byExternalId.get(externalId);
    const seen = eventIdsSeen.get(externalId) ?? new Set<string>();
    const complete = row && row.calculated && row.view_calculated && row.published && seen.size > 0;
    if (!complete) lost += 1;
    if (row && (row.orders > 1 || row.views > 1 || row.events > 1)) duplicated += 1;
    if (seen.size > 1) duplicated += 1;
    if (row?.event_id && [...seen].some((eventId) => eventId !== row.event_id)) invented += 1;
  }
  invented += rows.filter((row) => !accepted.has(row.external_id)).length;
  invented += [...eventIdsSeen.keys()].filter((externalId) => !accepted.has(externalId)).length;

  const deadLetters = await scenario.broker.drain(scenario.names.DEAD_LETTER_QUEUE);
  const { unexpected, missing } = compareDeadLetters(
    deadLetters.map(({ properties }) => ({
      messageId: String(properties.messageId),
      reason: String(properties.headers?.['x-rejection-reason']),
    })),
    expectedDeadLetters,
  );

  return {
    accepted: accepted.size,
    lost,
    duplicated,
    invented,
    deadLettered: deadLetters.length,
    unexpectedDeadLetters: unexpected,
    missingDeadLetters: missing,
    eventRedeliveries: scenario.productB.repeats.length,
    inboundLeft,
  };
}

/**
 * True once every accepted order is calculated and published, the dead letters are in, and the
 * inbound queue holds nothing, not even unacknowledged deliveries (asked last: it is the slow one).
 */
async function settled(
  scenario: FaultScenario,
  accepted: ReadonlySet<string>,
  deadLetters: number,
): Promise<true | undefined> {
  const externalIds = new Set([...scenario.productB.handled.values()].map(({ message }) => message.externalId));
  if ([...accepted].some((externalId) => !externalIds.has(externalId))) return undefined;
  if ((await scenario.pendingEvents()) > 0) return undefined;
  if ((await scenario.broker.messageCount(scenario.names.DEAD_LETTER_QUEUE)) < deadLetters) return undefined;
  if ((await scenario.broker.messageCount(scenario.names.INBOUND_QUEUE)) > 0) return undefined;
  return (await queueMessages(scenario.names.INBOUND_QUEUE, scenario.servers.broker)) === 0 ? true : undefined;
}

/** The DLQ as a multiset of (messageId, reason) against the expected one. */
function compareDeadLetters(
  found: readonly ExpectedDeadLetter[],
  expected: readonly ExpectedDeadLetter[],
): { unexpected: number; missing: number } {
  const key = ({ messageId, reason }: ExpectedDeadLetter) => `${messageId} ${reason}`;
  const remaining = new Map<string, number>();
  for (const letter of expected) remaining.set(key(letter), (remaining.get(key(letter)) ?? 0) + 1);
  let unexpected = 0;
  for (const letter of found) {
    const left = remaining.get(key(letter)) ?? 0;
    if (left === 0) unexpected += 1;
    else remaining.set(key(letter), left - 1);
  }
  const missing = [...remaining.values()].reduce((sum, left) => sum + left, 0);
  return { unexpected, missing };
}
