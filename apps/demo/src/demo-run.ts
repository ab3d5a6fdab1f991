import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import amqp, { type Channel, type ChannelModel } from 'amqplib';
import pg from 'pg';
import { calculatedCount, OrderApiClient, ProgressLine } from '@app/simulators';
import type { PaymentSummary } from '../../payment-system/src/payment-summary.js';
import type { SentSummary } from '../../product-a/src/sent-summary.js';
import type { BackOfficeSummary } from '../../product-b/src/back-office.js';
import type { WalkResult } from '../../product-b/src/cursor-walk.js';
import type { ReceivedSummary } from '../../product-b/src/order-calculated.consumer.js';
import { readDeadLetters } from './dead-letters.js';
import { demoReport } from './demo-report.js';
import { checkHistories } from './history-check.js';
import { lifecycleReport } from './lifecycle-report.js';
import { NodeChild } from './node-child.js';
import { handled, type IntakeCounters, paymentsHandled, readIntakeCounters } from './service-metrics.js';

export interface DemoSettings {
  readonly rabbitmqUrl: string;
  /** Server URL without a database: the demo creates (through the service) and drops its own. */
  readonly postgresUrl: string;
  readonly count: number;
  readonly seed: string;
  readonly keep: boolean;
}

const API_KEY = 'demo-api-key-0123456789';
const SETTLE_TIMEOUT_MS = 60_000;
/** Nothing moved for this long: every event has had its answer (a payment, a change over REST). */
const QUIET_MS = 1_500;
/** How long the service waits for the order of a payment it does not know, in the demo (60 s by default). */
const UNKNOWN_ORDER_RETRY_MS = 3_000;
const PRODUCT_A_MIX = ['--rate', '1000', '--duplicates', '0.08', '--conflicts', '0.03', '--invalid', '0.04'];
/** Rarer outcomes a little more often than by default, so that a short demo meets each of them. */
const PAYMENT_MIX = ['--duplicates', '0.04', '--paid-twice', '0.03', '--wrong-amounts', '0.03', '--unknown', '0.02'];
const dist = (app: string) => fileURLToPath(new URL(`../../${app}/src/main.js`, import.meta.url));

/** The last JSON line a CLI printed on stdout. */
function jsonSummary<T>(child: NodeChild): T {
  const line = child
    .output()
    .split('\n')
    .reverse()
    .find((text) => text.startsWith('{'));
  if (line === undefined) throw new Error(`${child.name} printed no summary:\n${child.output()}`);
  return JSON.parse(line) as T;
}

/**
 * One demo: the built service and the two examples as real processes, on a database and broker
 * names of their own (`demo-<random>`), so that a developer's running service is not disturbed.
 */
export class DemoRun {
  private readonly tag = `demo-${randomBytes(3).toString('hex')}`;
  private readonly database = `order_service_${this.tag.replace('-', '_')}`;
  private readonly logFile = join(tmpdir(), `order-service-${this.tag}.log`);
  private readonly names = {
    INBOUND_EXCHANGE: `${this.tag}.orders.inbound`,
    INBOUND_ROUTING_KEY: 'order.placed',
    INBOUND_QUEUE: `${this.tag}.order-service.order-placed`,
    DEAD_LETTER_EXCHANGE: `${this.tag}.orders.inbound.dlx`,
    DEAD_LETTER_QUEUE: `${this.tag}.order-service.order-placed.dlq`,
    EVENTS_EXCHANGE: `${this.tag}.orders.events`,
    EVENTS_ROUTING_KEY: 'order.calculated',
    EVENTS_QUEUE: `${this.tag}.order.calculated`,
    EVENTS_PAID_ROUTING_KEY: 'order.paid',
    EVENTS_PAYMENT_FAILED_ROUTING_KEY: 'order.payment-failed',
    EVENTS_SHIPPED_ROUTING_KEY: 'order.shipped',
    EVENTS_DELIVERED_ROUTING_KEY: 'order.delivered',
    EVENTS_CANCELLED_ROUTING_KEY: 'order.cancelled',
    STATUS_EVENTS_QUEUE: `${this.tag}.order.status-changed`,
    PAYMENTS_EXCHANGE: `${this.tag}.payments.events`,
    PAYMENTS_CONFIRMED_ROUTING_KEY: 'payment.confirmed',
    PAYMENTS_REJECTED_ROUTING_KEY: 'payment.rejected',
    PAYMENTS_QUEUE: `${this.tag}.order-service.payments`,
    PAYMENTS_DEAD_LETTER_EXCHANGE: `${this.tag}.order-service.payments.dlx`,
    PAYMENTS_DEAD_LETTER_QUEUE: `${this.tag}.order-service.payments.dlq`,
    PAYMENT_SYSTEM_QUEUE: `${this.tag}.payment-system.order-events`,
  };
  /** Every queue the demo's processes declare, and every exchange: what the cleanup removes. */
  private readonly queues = [
    this.names.INBOUND_QUEUE,
    this.names.DEAD_LETTER_QUEUE,
    this.names.EVENTS_QUEUE,
    this.names.STATUS_EVENTS_QUEUE,
    this.names.PAYMENTS_QUEUE,
    this.names.PAYMENTS_DEAD_LETTER_QUEUE,
    this.names.PAYMENT_SYSTEM_QUEUE,
  ];
  private readonly exchanges = [
    this.names.INBOUND_EXCHANGE,
    this.names.DEAD_LETTER_EXCHANGE,
    this.names.EVENTS_EXCHANGE,
    this.names.PAYMENTS_EXCHANGE,
    this.names.PAYMENTS_DEAD_LETTER_EXCHANGE,
  ];
  /** The queues whose consumers answer with more messages: empty once the life has run its course. */
  private readonly busyQueues = [
    this.names.EVENTS_QUEUE,
    this.names.STATUS_EVENTS_QUEUE,
    this.names.PAYMENTS_QUEUE,
    this.names.PAYMENT_SYSTEM_QUEUE,
  ];
  private readonly progress = new ProgressLine();
  private service: NodeChild | undefined;
  private productB: NodeChild | undefined;
  private backOffice: NodeChild | undefined;
  private paymentSystem: NodeChild | undefined;
  private baseUrl = '';
  private interrupted = false;

  private constructor(
    private readonly settings: DemoSettings,
    private readonly connection: ChannelModel,
    private readonly channel: Channel,
  ) {
    // Ctrl-C reaches the children too (A and B stop and report, the service shuts down): the demo
    // only stops waiting, then cleans up.
    process.on('SIGINT', () => (this.interrupted = true));
  }

  static async prepare(settings: DemoSettings): Promise<DemoRun> {
    const connection = await amqp.connect(settings.rabbitmqUrl);
    return new DemoRun(settings, connection, await connection.createChannel());
  }

  /** Runs the whole flow and prints the summary; true when everything agrees. */
  async run(): Promise<boolean> {
    let agrees = false;
    try {
      await this.startService();
      await this.startConsumers();
      const startedAt = new Date();
      const started = performance.now();
      const sent = await this.runProductA();
      const settled = await this.untilSettled(sent.confirmed);
      const settledSeconds = settled ? (performance.now() - started) / 1000 : null;
      // B and the payment system stop as on any SIGTERM: the messages in hand are handled and acknowledged first.
      for (const child of [this.paymentSystem, this.productB, this.backOffice]) await child?.stop();
      const payments = jsonSummary<PaymentSummary>(this.paymentSystem!);
      const received = jsonSummary<ReceivedSummary>(this.productB!);
      const backOffice = jsonSummary<BackOfficeSummary>(this.backOffice!);
      this.progress.finish(`settled: product B verified ${received.verified} orders`);
      const api = new OrderApiClient(this.baseUrl, API_KEY);
      const window = { receivedFrom: startedAt.toISOString(), receivedTo: new Date(Date.now() + 1000).toISOString() };
      const stats = await api.stats({ receivedFrom: window.receivedFrom });
      const counters = await readIntakeCounters(this.baseUrl);
      const intake = demoReport({
        sent,
        counters,
        deadLetters: await readDeadLetters(this.channel, this.names.DEAD_LETTER_QUEUE),
        calculated: calculatedCount(stats.countsByStatus),
        totalsByCurrency: stats.totalsByCurrency,
        received,
        walk: await this.walk(startedAt),
        settledSeconds,
      });
      this.progress.show('reading the histories…', true);
      const lifecycle = lifecycleReport({
        accepted: sent.expected.accepted,
        payments,
        backOffice,
        stats: stats.countsByStatus,
        histories: await checkHistories(api, window, backOffice.eventsByOrder),
        deadLetters: await readDeadLetters(this.channel, this.names.PAYMENTS_DEAD_LETTER_QUEUE),
        paymentCounters: counters.payments,
      });
      process.stdout.write(
        `\norder-service demo: ${sent.published} messages from product A (seed ${sent.seed}), one service, product B,` +
          ` the payment system\n\n${intake.text}\n\n${lifecycle.text}\n\n` +
          `${intake.allAgree && lifecycle.allAgree ? 'everything agrees' : 'SOMETHING DIFFERS'}\n`,
      );
      agrees = intake.allAgree && lifecycle.allAgree;
    } finally {
      await this.finish(agrees);
    }
    return agrees;
  }

  private async startService(): Promise<void> {
    this.progress.say(`service: database ${this.database}, queues ${this.tag}.*, log ${this.logFile}`);
    this.service = NodeChild.start('order-service', dist('order-service'), [], {
      env: {
        ...this.names,
        DATABASE_URL: `${this.settings.postgresUrl}/${this.database}`,
        RABBITMQ_URL: this.settings.rabbitmqUrl,
        HTTP_PORT: '0',
        MANAGEMENT_PORT: '0',
        API_KEYS: API_KEY,
        SERVICE_NAME: `order-service-${this.tag}`,
        PAYMENTS_UNKNOWN_ORDER_RETRY_MS: String(UNKNOWN_ORDER_RETRY_MS),
      },
      logFile: this.logFile,
      detached: this.settings.keep,
    });
    this.progress.show('starting the service (it creates its database, migrates, declares its queues)…', true);
    const [, port] = await this.service.waitFor(/HTTP on port (\d+)/, 60_000);
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.progress.say(`service: ready at ${this.baseUrl}`);
  }

  /** Product B on both its queues and the payment system, each waiting for the service's events. */
  private async startConsumers(): Promise<void> {
    const api = ['--json', '--api-url', this.baseUrl, '--api-key', API_KEY, '--prefetch', '100'];
    const seed = ['--seed', this.settings.seed];
    const environment = { env: this.brokerEnvironment() };
    this.productB = NodeChild.start('product B', dist('product-b'), ['consume', ...api], environment);
    this.backOffice = NodeChild.start('back office', dist('product-b'), ['back-office', ...api, ...seed], environment);
    const payments = ['--json', ...seed, ...PAYMENT_MIX];
    this.paymentSystem = NodeChild.start('payment system', dist('payment-system'), payments, environment);
    await this.productB.waitFor(/product B: consuming/, 30_000);
    await this.backOffice.waitFor(/back office: consuming/, 30_000);
    await this.paymentSystem.waitFor(/payment system: consuming/, 30_000);
    this.progress.say(`product B: consuming ${this.names.EVENTS_QUEUE}, verifying each order over REST`);
    this.progress.say(`product B back office: consuming ${this.names.STATUS_EVENTS_QUEUE}, shipping and cancelling`);
    this.progress.say(`payment system: consuming ${this.names.PAYMENT_SYSTEM_QUEUE}, paying most orders`);
  }

  private async runProductA(): Promise<SentSummary> {
    const args = ['--count', String(this.settings.count), '--seed', this.settings.seed, '--json', ...PRODUCT_A_MIX];
    const productA = NodeChild.start('product A', dist('product-a'), args, {
      env: this.brokerEnvironment(),
      showProgress: true,
    });
    await productA.exited();
    this.unlessInterrupted();
    return jsonSummary<SentSummary>(productA);
  }

  /**
   * Waits for the whole life to run its course: every delivery of A settled, the event queues empty
   * and nothing moving; then the payment system stops and prints what it sent, and the service must
   * have settled every one of those payments (the unknown-order ones after their wait) and published
   * every event, which product B must have handled.
   */
  private async untilSettled(deliveries: number): Promise<boolean> {
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    const intakeDone = (counters: IntakeCounters) => handled(counters) >= deliveries;
    if (!(await this.untilQuiet(deadline, intakeDone))) return false;
    await this.paymentSystem?.stop();
    const payments = jsonSummary<PaymentSummary>(this.paymentSystem!);
    const paymentsDone = (counters: IntakeCounters) =>
      intakeDone(counters) && paymentsHandled(counters) >= payments.confirmed;
    return this.untilQuiet(deadline, paymentsDone);
  }

  /** Until `done`, the outbox and the busy queues are empty, and the counters have not moved for QUIET_MS. */
  private async untilQuiet(deadline: number, done: (counters: IntakeCounters) => boolean): Promise<boolean> {
    let last = '';
    let quietSince = Date.now();
    for (; Date.now() < deadline; await sleep(200)) {
      this.unlessInterrupted();
      const counters = await readIntakeCounters(this.baseUrl);
      const waiting = await this.waitingMessages();
      this.progress.show(
        `settling · the service handled ${handled(counters)} orders and ${paymentsHandled(counters)} payments` +
          ` · calculated ${counters.calculated} · outbox ${counters.outboxBacklog} · ${waiting} waiting in the event and payment queues`,
      );
      const now = JSON.stringify([counters, waiting]);
      if (now !== last) [last, quietSince] = [now, Date.now()];
      const settled = done(counters) && counters.outboxBacklog === 0 && waiting === 0;
      if (settled && Date.now() - quietSince >= QUIET_MS) return true;
    }
    return false;
  }

  private async waitingMessages(): Promise<number> {
    let waiting = 0;
    for (const queue of this.busyQueues) waiting += (await this.channel.checkQueue(queue)).messageCount;
    return waiting;
  }

  /** Product B without its queue: the cursor walk over the demo's window. */
  private async walk(startedAt: Date): Promise<WalkResult | null> {
    const window = ['--from', startedAt.toISOString(), '--to', new Date(Date.now() + 1000).toISOString()];
    const args = ['walk', '--json', '--api-url', this.baseUrl, '--api-key', API_KEY, ...window];
    const walker = NodeChild.start('product B walk', dist('product-b'), args, { env: {} });
    return (await walker.exited()) === null ? null : jsonSummary<WalkResult>(walker);
  }

  private brokerEnvironment(): Record<string, string> {
    return { RABBITMQ_URL: this.settings.rabbitmqUrl, ...this.names };
  }

  private unlessInterrupted(): void {
    if (this.interrupted) throw new Error('interrupted');
  }

  /** Nothing left running, nothing left behind, unless --keep. */
  private async finish(succeeded: boolean): Promise<void> {
    for (const child of [this.productB, this.backOffice, this.paymentSystem]) await child?.stop();
    const service = this.service;
    if (this.settings.keep && service?.running) {
      service.release();
      process.stdout.write(
        `\nkept: the service at ${this.baseUrl} (X-API-Key ${API_KEY}, pid ${service.pid}, log ${this.logFile}),\n` +
          `database ${this.database}, queues and exchanges ${this.tag}.*; stop the service with: kill ${service.pid}\n`,
      );
    } else {
      await service?.stop();
      await this.removeQueuesAndDatabase();
      if (succeeded) rmSync(this.logFile, { force: true });
      else process.stderr.write(`the service's log is kept: ${this.logFile}\n`);
    }
    await this.connection.close().catch(() => undefined);
  }

  private async removeQueuesAndDatabase(): Promise<void> {
    for (const queue of this.queues) await this.channel.deleteQueue(queue).catch(() => undefined);
    for (const exchange of this.exchanges) await this.channel.deleteExchange(exchange).catch(() => undefined);
    const client = new pg.Client({ connectionString: `${this.settings.postgresUrl}/postgres` });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS "${this.database}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
  }
}
