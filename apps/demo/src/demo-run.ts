import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import amqp, { type Channel, type ChannelModel } from 'amqplib';
import pg from 'pg';
import { OrderApiClient, ProgressLine } from '@app/simulators';
import type { SentSummary } from '../../product-a/src/sent-summary.js';
import type { WalkResult } from '../../product-b/src/cursor-walk.js';
import type { ReceivedSummary } from '../../product-b/src/order-calculated.consumer.js';
import { readDeadLetters } from './dead-letters.js';
import { demoReport } from './demo-report.js';
import { NodeChild } from './node-child.js';
import { handled, readIntakeCounters } from './service-metrics.js';

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
const PRODUCT_A_MIX = ['--rate', '1000', '--duplicates', '0.08', '--conflicts', '0.03', '--invalid', '0.04'];
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
  };
  private readonly progress = new ProgressLine();
  private service: NodeChild | undefined;
  private productB: NodeChild | undefined;
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
      await this.startProductB();
      const startedAt = new Date();
      const started = performance.now();
      const sent = await this.runProductA();
      const settledSeconds = (await this.untilSettled(sent.confirmed)) ? (performance.now() - started) / 1000 : null;
      // B stops as on any SIGTERM: the messages in hand are verified and acknowledged first.
      await this.productB?.stop();
      const received = jsonSummary<ReceivedSummary>(this.productB!);
      this.progress.finish(`settled: product B verified ${received.verified} orders`);
      const stats = await new OrderApiClient(this.baseUrl, API_KEY).stats({ receivedFrom: startedAt.toISOString() });
      const report = demoReport({
        sent,
        counters: await readIntakeCounters(this.baseUrl),
        deadLetters: await readDeadLetters(this.channel, this.names.DEAD_LETTER_QUEUE),
        calculated: stats.countsByStatus.CALCULATED ?? 0,
        totalsByCurrency: stats.totalsByCurrency,
        received,
        walk: await this.walk(startedAt),
        settledSeconds,
      });
      process.stdout.write(
        `\norder-service demo: ${sent.published} messages from product A (seed ${sent.seed}), one service, product B\n\n${report.text}\n`,
      );
      agrees = report.allAgree;
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
        API_KEYS: API_KEY,
        SERVICE_NAME: `order-service-${this.tag}`,
      },
      logFile: this.logFile,
      detached: this.settings.keep,
    });
    this.progress.show('starting the service (it creates its database, migrates, declares its queues)…', true);
    const [, port] = await this.service.waitFor(/HTTP on port (\d+)/, 60_000);
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.progress.say(`service: ready at ${this.baseUrl}`);
  }

  private async startProductB(): Promise<void> {
    const args = ['consume', '--json', '--api-url', this.baseUrl, '--api-key', API_KEY, '--prefetch', '100'];
    this.productB = NodeChild.start('product B', dist('product-b'), args, { env: this.brokerEnvironment() });
    await this.productB.waitFor(/product B: consuming/, 30_000);
    this.progress.say(`product B: consuming ${this.names.EVENTS_QUEUE}, verifying each order over REST`);
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

  /** Every delivery settled by the service, every OrderCalculated published and taken by product B. */
  private async untilSettled(deliveries: number): Promise<boolean> {
    for (const deadline = Date.now() + SETTLE_TIMEOUT_MS; Date.now() < deadline; await sleep(200)) {
      this.unlessInterrupted();
      const counters = await readIntakeCounters(this.baseUrl);
      const waiting = (await this.channel.checkQueue(this.names.EVENTS_QUEUE)).messageCount;
      this.progress.show(
        `settling · the service handled ${handled(counters)}/${deliveries} · calculated ${counters.calculated}` +
          ` · outbox ${counters.outboxBacklog} · ${waiting} waiting for product B`,
      );
      if (handled(counters) >= deliveries && counters.outboxBacklog === 0 && waiting === 0) return true;
    }
    return false;
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
    await this.productB?.stop();
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
    const { names } = this;
    for (const queue of [names.INBOUND_QUEUE, names.DEAD_LETTER_QUEUE, names.EVENTS_QUEUE]) {
      await this.channel.deleteQueue(queue).catch(() => undefined);
    }
    for (const exchange of [names.INBOUND_EXCHANGE, names.DEAD_LETTER_EXCHANGE, names.EVENTS_EXCHANGE]) {
      await this.channel.deleteExchange(exchange).catch(() => undefined);
    }
    const client = new pg.Client({ connectionString: `${this.settings.postgresUrl}/postgres` });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS "${this.database}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
  }
}
