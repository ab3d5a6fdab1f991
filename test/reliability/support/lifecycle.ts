import { randomUUID } from 'node:crypto';
import { expect, type TestContext } from 'vitest';
import { type OrderStatusChangedMessage, ProductBConsumer } from '../../support/product-b-consumer.js';
import { queueMessages } from '../../support/rabbitmqctl.js';
import { eventually, type OutgoingMessage } from '../../support/test-broker.js';
import { TEST_API_KEY } from '../../support/order-service.env.js';
import { type FaultScenario, PATIENCE_MS } from './fault-scenario.js';

/** A calculated order as the payment system and the back office know it. */
export interface KnownOrder {
  readonly orderId: string;
  readonly total: string;
}

/** Where an order may end, given the inputs: one status, or either of two racing changes. */
export type FinalStatuses = ReadonlyMap<string, readonly string[]>;

interface HistoryRow {
  order_id: string;
  status: string;
  version: number;
  event_id: string;
  event_type: string;
}

/**
 * The lifecycle's side of a scenario: orders calculated up front, the payment system's messages,
 * the back office's REST changes, and product B on `order.status-changed`, deduplicating on eventId.
 */
export class LifecycleWorld {
  private constructor(
    readonly scenario: FaultScenario,
    readonly statusEvents: ProductBConsumer<OrderStatusChangedMessage>,
  ) {}

  static async open(scenario: FaultScenario): Promise<LifecycleWorld> {
    const statusEvents = await ProductBConsumer.start<OrderStatusChangedMessage>(
      scenario.names.STATUS_EVENTS_QUEUE,
      () => Promise.resolve(),
    );
    return new LifecycleWorld(scenario, statusEvents);
  }

  /** `count` orders published and waited for until every one is calculated. */
  async calculatedOrders(count: number): Promise<KnownOrder[]> {
    const orders = await this.scenario.publishOrders(count);
    await this.scenario.untilCommitted((committed) => committed >= orders.length, 'the orders calculated');
    return this.scenario.database.query<KnownOrder>(
      `SELECT id AS "orderId", total::text AS total FROM orders WHERE status <> 'RECEIVED' ORDER BY id`,
    );
  }

  /** One confirmation of each order's exact total; the message id is the paymentId. */
  confirmations(orders: readonly KnownOrder[]): OutgoingMessage[] {
    return orders.map(({ orderId, total }) => {
      const paymentId = `PAY-${randomUUID()}`;
      return {
        body: { paymentId, orderId, amount: total, currency: 'BRL', occurredAt: new Date().toISOString() },
        options: { messageId: paymentId },
      };
    });
  }

  /**
   * A status change as product B's back office sends it: a connection refused or reset (the
   * process it went to died) is sent again, to whichever process answers; any answer is returned.
   */
  async change(baseUrls: () => readonly string[], orderId: string, body: object): Promise<number> {
    return eventually(
      async () => {
        for (const baseUrl of baseUrls()) {
          try {
            const response = await fetch(`${baseUrl}/orders/${orderId}/status`, {
              method: 'PUT',
              headers: { 'X-API-Key': TEST_API_KEY, 'content-type': 'application/json' },
              body: JSON.stringify(body),
            });
            await response.text();
            if (response.status !== 503) return response.status;
          } catch {
            // Not answering: try the next process, then again.
          }
        }
        return undefined;
      },
      PATIENCE_MS,
      `a change of ${orderId}`,
    );
  }

  async close(): Promise<void> {
    await this.statusEvents.stop();
  }
}

export interface LifecycleCounts {
  readonly orders: number;
  /** Orders not in a status their inputs allow, or whose history a received event is missing from. */
  readonly lost: number;
  /** Two events for one version of an order, or a history with a version twice. */
  readonly doubled: number;
  /** Events received that are not in any history. */
  readonly invented: number;
  /** Histories whose versions are not 1…n or whose statuses do not follow the events received. */
  readonly historyMismatches: number;
  readonly paymentsDeadLettered: number;
  readonly paymentsLeft: number;
  readonly eventRedeliveries: number;
}

/**
 * The lifecycle's check at the end of a scenario: every order in a status its inputs allow; the
 * history of each equal to the sequence of status events product B received (same eventIds, versions
 * 1…n, nothing doubled or invented); no valid payment dead-lettered; the payments queue empty.
 */
export async function expectLifecycleInvariants(
  context: TestContext,
  world: LifecycleWorld,
  finalStatuses: FinalStatuses,
): Promise<LifecycleCounts> {
  const { scenario } = world;
  await eventually(() => settled(world, finalStatuses), PATIENCE_MS, 'the lifecycle settled').catch((error: unknown) =>
    console.log(`[reliability] ${(error as Error).message}; counting what is there`),
  );
  const statuses = new Map(
    (await scenario.database.query<{ id: string; status: string }>('SELECT id, status FROM orders')).map((row) => [
      row.id,
      row.status,
    ]),
  );
  const history = await scenario.database.query<HistoryRow>(
    `SELECT order_id, status, version, event_id, event_type FROM order_history ORDER BY order_id, version`,
  );
  const received = [...world.statusEvents.handled.values()].map(({ message }) => message);
  const inHistory = new Set(history.map((row) => row.event_id));

  let lost = 0;
  let doubled = 0;
  let historyMismatches = 0;
  for (const [orderId, allowed] of finalStatuses) {
    if (!allowed.includes(statuses.get(orderId) ?? 'missing')) lost += 1;
    const entries = history.filter((row) => row.order_id === orderId);
    const events = received.filter((event) => event.orderId === orderId).sort((a, b) => a.version - b.version);
    const versions = events.map((event) => event.version);
    if (new Set(versions).size < versions.length) doubled += 1;
    const changes = entries.filter((row) => row.event_type !== 'OrderCalculated');
    const contiguous = entries.every((row, index) => row.version === index + 1);
    const sameAsEvents =
      changes.length === events.length &&
      changes.every((row, index) => row.event_id === events[index].eventId && row.status === events[index].status);
    if (!contiguous || !sameAsEvents) historyMismatches += 1;
    if (changes.some((row) => !events.some((event) => event.eventId === row.event_id))) lost += 1;
  }
  const invented = received.filter((event) => !inHistory.has(event.eventId)).length;
  const paymentsDeadLettered = (await scenario.broker.drain(scenario.names.PAYMENTS_DEAD_LETTER_QUEUE)).length;
  const counts: LifecycleCounts = {
    orders: finalStatuses.size,
    lost,
    doubled,
    invented,
    historyMismatches,
    paymentsDeadLettered,
    paymentsLeft: await queueMessages(scenario.names.PAYMENTS_QUEUE),
    eventRedeliveries: world.statusEvents.repeats.length,
  };
  await context.annotate(
    Object.entries(counts)
      .map(([name, value]) => `${name}=${value}`)
      .join(' '),
    'invariants',
  );
  expect(counts).toMatchObject({
    lost: 0,
    doubled: 0,
    invented: 0,
    historyMismatches: 0,
    paymentsDeadLettered: 0,
    paymentsLeft: 0,
  });
  return counts;
}

/** Every order in an allowed status, every history entry's event received, nothing pending. */
async function settled(world: LifecycleWorld, finalStatuses: FinalStatuses): Promise<true | undefined> {
  const { scenario } = world;
  const rows = await scenario.database.query<{ id: string; status: string }>('SELECT id, status FROM orders');
  if (rows.some((row) => finalStatuses.has(row.id) && !finalStatuses.get(row.id)!.includes(row.status))) {
    return undefined;
  }
  const [{ changes }] = await scenario.database.query<{ changes: number }>(
    `SELECT count(*)::int AS changes FROM order_history WHERE event_type <> 'OrderCalculated'`,
  );
  if (world.statusEvents.handled.size < changes) return undefined;
  if ((await scenario.pendingEvents()) > 0) return undefined;
  return (await queueMessages(scenario.names.PAYMENTS_QUEUE)) === 0 ? true : undefined;
}
