import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it, type TestContext } from 'vitest';
import { type CpuSnapshot, cpuSnapshot } from '../../apps/bench/src/cpu-accounting.js';
import type { ServiceProcess } from '../support/service-process.js';
import { eventually } from '../support/test-broker.js';
import { PATIENCE_MS } from '../reliability/support/fault-scenario.js';
import { expectInvariants } from '../reliability/support/invariants.js';
import { POSTGRES_PAIR_PORTS, RABBITMQ_SINGLE_NODE_PORTS } from './support/cluster-ports.js';
import { openOnCluster, startServicePerNode } from './support/cluster-scenario.js';
import { PostgresPair, query } from './support/postgres-pair.js';
import { RabbitmqCluster } from './support/rabbitmq-cluster.js';

/** Orders per drain; rounds of every layout, alternated so that a slow minute hits them all. */
const ORDERS = Number(process.env.BENCH_CLUSTER_ORDERS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_CLUSTER_ROUNDS ?? 3);

/** Where the service processes run: on the lone node (the yardstick) or one per cluster node. */
interface Layout {
  readonly label: string;
  readonly processes: number;
  readonly onCluster: boolean;
}

const YARDSTICK: Layout = { label: '1 process, 1 node', processes: 1, onCluster: false };
const LAYOUTS: readonly Layout[] = [
  YARDSTICK,
  { label: '1 process, 3-node cluster', processes: 1, onCluster: true },
  { label: '2 processes, 3-node cluster', processes: 2, onCluster: true },
  { label: '3 processes, 3-node cluster', processes: 3, onCluster: true },
];

/** One timed drain of one layout. */
interface Drain {
  readonly layout: string;
  readonly round: number;
  /** Orders per second from the gate's opening to the last commit. */
  readonly intakeRate: number;
  /**
   * Orders per second from the gate's opening until every OrderCalculated is confirmed by the broker
   * and marked published: the service's own end (product B, a test double, is not timed).
   */
  readonly relayedRate: number;
  /** CPU ms per order until then: the whole machine, and its service processes', Postgres and RabbitMQ parts. */
  readonly machineCpuPerOrder: number;
  readonly serviceCpuPerOrder: number;
  readonly postgresCpuPerOrder: number;
  readonly rabbitmqCpuPerOrder: number;
  /** WAL the primary wrote per order until then, in bytes: what the synchronous standby receives. */
  readonly walBytesPerOrder: number;
}

/*
 * `npm run bench:cluster`: what the cluster costs and what more service processes give, against
 * one process on one RabbitMQ node measured in the same run, all on the same Postgres primary with
 * its synchronous standby. Each drain: a backlog of ORDERS waits in a fresh inbound queue while every
 * process holds a transaction at a database gate (so all have started and have deliveries in hand);
 * the gate opens and the clock runs until every order is committed, then until every OrderCalculated
 * is published; the invariants follow, untimed. Only ratios within one run compare: the machine is
 * shared and has two cores.
 */
describe('capacity: 1, 2 and 3 service processes on the cluster against 1 process on 1 node', () => {
  const cluster = RabbitmqCluster.attach(inject('rabbitmqCluster'));
  let lone: RabbitmqCluster;
  let pair: PostgresPair;

  beforeAll(async () => {
    lone = await RabbitmqCluster.start(1, RABBITMQ_SINGLE_NODE_PORTS, 'order-service-lone');
    pair = await PostgresPair.start(POSTGRES_PAIR_PORTS);
  });

  afterAll(() => {
    pair?.stop();
    lone?.stop();
  });

  it(`${ROUNDS} rounds of ${ORDERS}-order drains, each layout against the yardstick of its round`, async (context) => {
    const drains: Drain[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      for (const layout of LAYOUTS) drains.push(await drain(context, layout, round));
    }
    const summary = LAYOUTS.map((layout) => summarize(layout, drains));
    for (const line of summary) await context.annotate(line.text, 'capacity');
    const file = writeResults({ at: new Date().toISOString(), orders: ORDERS, rounds: ROUNDS, drains, summary });
    await context.annotate(`figures written to ${file}`, 'capacity');
    expect(drains).toHaveLength(ROUNDS * LAYOUTS.length);
  });

  async function walPosition(): Promise<string> {
    const [{ lsn }] = await query<{ lsn: string }>(pair.primary, 'SELECT pg_current_wal_lsn()::text AS lsn');
    return lsn;
  }

  async function walWrittenSince(lsn: string): Promise<number> {
    const sql = 'SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::float8 AS bytes';
    const [{ bytes }] = await query<{ bytes: number }>(pair.primary, sql, [lsn]);
    return bytes;
  }

  async function drain(context: TestContext, layout: Layout, round: number): Promise<Drain> {
    const brokers = layout.onCluster ? cluster : lone;
    const [first] = brokers.nodes;
    const scenario = await openOnCluster(brokers, {
      leader: first,
      witness: first,
      postgresUrl: PostgresPair.url(pair.primary),
    });
    try {
      const gate = await scenario.installGate('BEFORE INSERT', 'orders');
      await gate.close();
      const nodes = Array.from({ length: layout.processes }, (_, index) => brokers.nodes[index % brokers.nodes.length]);
      const services = await startServicePerNode(scenario, brokers, {}, nodes);
      const orders = await scenario.publishOrders(ORDERS);
      for (const service of services) await gate.untilHolding(service.name, PATIENCE_MS);

      const before = cpuUsed(services);
      const walBefore = await walPosition();
      const openedAt = Date.now();
      await gate.open();
      await scenario.untilCommitted((count) => count >= ORDERS, 'the backlog committed');
      const intakeMs = Date.now() - openedAt;
      await eventually(
        async () => ((await scenario.pendingEvents()) === 0 ? true : undefined),
        PATIENCE_MS,
        'every OrderCalculated published',
      );
      const relayedMs = Date.now() - openedAt;
      const after = cpuUsed(services);
      const walBytes = await walWrittenSince(walBefore);

      await expectInvariants(context, scenario, { accepted: orders.map((order) => order.externalId) });
      const perOrder = (key: keyof typeof before) => round2((after[key] - before[key]) / ORDERS);
      return {
        layout: layout.label,
        round,
        intakeRate: Math.round((ORDERS * 1000) / intakeMs),
        relayedRate: Math.round((ORDERS * 1000) / relayedMs),
        machineCpuPerOrder: perOrder('machine'),
        serviceCpuPerOrder: perOrder('process'),
        postgresCpuPerOrder: perOrder('postgres'),
        rabbitmqCpuPerOrder: perOrder('rabbitmq'),
        walBytesPerOrder: Math.round(walBytes / ORDERS),
      };
    } finally {
      await scenario.close();
    }
  }
});

interface CapacityResults {
  readonly at: string;
  readonly orders: number;
  readonly rounds: number;
  readonly drains: readonly Drain[];
  readonly summary: readonly LayoutSummary[];
}

/** CPU ms used so far, as cpuSnapshot counts it, with `process` the sum of every service process's. */
function cpuUsed(services: readonly ServiceProcess[]): CpuSnapshot {
  const [first, ...others] = services.map((service) => cpuSnapshot(service.pid));
  return { ...first, process: others.reduce((sum, other) => sum + other.process, first.process) };
}

/** A layout's figures as ratios to the yardstick of the same round: their mean, and their range across rounds. */
interface LayoutSummary {
  readonly layout: string;
  readonly intakeRatio: Spread;
  readonly relayedRatio: Spread;
  readonly machineCpuRatio: Spread;
  readonly text: string;
}

interface Spread {
  readonly mean: number;
  readonly min: number;
  readonly max: number;
}

function summarize(layout: Layout, drains: readonly Drain[]): LayoutSummary {
  const ofLayout = drains.filter((drain) => drain.layout === layout.label);
  const yardstickOf = (round: number) =>
    drains.find((drain) => drain.layout === YARDSTICK.label && drain.round === round) as Drain;
  const ratios = (figure: (drain: Drain) => number) =>
    spread(ofLayout.map((drain) => figure(drain) / figure(yardstickOf(drain.round))));
  const intakeRatio = ratios((drain) => drain.intakeRate);
  const relayedRatio = ratios((drain) => drain.relayedRate);
  const machineCpuRatio = ratios((drain) => drain.machineCpuPerOrder);
  const rates = (figure: (drain: Drain) => number) => ofLayout.map(figure).join('/');
  return {
    layout: layout.label,
    intakeRatio,
    relayedRatio,
    machineCpuRatio,
    text:
      `${layout.label}: intake ${formatSpread(intakeRatio)} of the yardstick's (${rates((d) => d.intakeRate)} orders/s), ` +
      `relayed ${formatSpread(relayedRatio)} (${rates((d) => d.relayedRate)} orders/s), machine CPU per order ` +
      `${formatSpread(machineCpuRatio)} (${rates((d) => d.machineCpuPerOrder)} ms; service processes ` +
      `${rates((d) => d.serviceCpuPerOrder)}, Postgres ` +
      `${rates((d) => d.postgresCpuPerOrder)}, RabbitMQ ${rates((d) => d.rabbitmqCpuPerOrder)}); ` +
      `WAL per order ${rates((d) => d.walBytesPerOrder)} bytes`,
  };
}

function spread(values: readonly number[]): Spread {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  return { mean: round2(mean), min: round2(Math.min(...values)), max: round2(Math.max(...values)) };
}

function formatSpread({ mean, min, max }: Spread): string {
  return `${mean.toFixed(2)} (${min.toFixed(2)}–${max.toFixed(2)})`;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** The figures as JSON in bench-results/ (ignored by git; the ones the documents quote go to docs/benchmarks/). */
function writeResults(results: CapacityResults): string {
  const directory = join(process.cwd(), 'bench-results');
  mkdirSync(directory, { recursive: true });
  const file = join(directory, `cluster-capacity-${results.at.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}
