import { execFile } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import amqp from 'amqplib';
import { type BrokerTarget, queueInfo, rabbitmqctl } from '../../support/rabbitmqctl.js';
import { eventually } from '../../support/test-broker.js';
import { assertPortsFree } from './free-ports.js';
import { isRunning, OwnedProcesses, signalQuietly } from './owned-processes.js';
import { systemUser } from './system-user.js';

const run = promisify(execFile);

/** Where one node of the cluster listens and keeps its files: plain data, so a test worker can take it over. */
export interface RabbitmqNodeSpec {
  /** Its Erlang node name, e.g. `order-service-c1@localhost`. */
  readonly name: string;
  readonly amqpPort: number;
  readonly distPort: number;
  /** Its config file, Mnesia and quorum data, logs and pid file; owned by the `rabbitmq` user. */
  readonly directory: string;
}

export interface RabbitmqClusterSpec {
  readonly vhost: string;
  readonly nodes: readonly RabbitmqNodeSpec[];
}

export interface RabbitmqClusterPorts {
  /** The first node's AMQP port; the next nodes take the following ones. */
  readonly amqp: number;
  /** The first node's Erlang distribution port; likewise. */
  readonly distribution: number;
}

/** The vhost the service uses on the cluster: quorum queues unless a client asks otherwise. */
const VHOST = 'orders';
const STARTUP_TIMEOUT_S = 90;

/**
 * A RabbitMQ cluster of extra nodes on loopback ports, beside the system node on 5672 (which stays
 * out of it: other suites use it). Each node runs as the `rabbitmq` user (its Erlang cookie is the
 * one `rabbitmqctl` uses) from a directory of its own, with a config file that pins its own AMQP
 * listener: the system config pins 5672, so RABBITMQ_NODE_PORT alone would not do.
 */
export class RabbitmqCluster {
  private owned: OwnedProcesses | null = null;

  private constructor(readonly spec: RabbitmqClusterSpec) {}

  /**
   * Starts `count` nodes in a temporary directory, joins them to the first, and creates the
   * service's vhost. `prefix` names the nodes (`<prefix>1@localhost`, ...): unique on the host.
   */
  static async start(count: number, ports: RabbitmqClusterPorts, prefix = 'order-service-c'): Promise<RabbitmqCluster> {
    const offsets = Array.from({ length: count }, (_, index) => index);
    await assertPortsFree(offsets.flatMap((offset) => [ports.amqp + offset, ports.distribution + offset]));
    const root = mkdtempSync(join(tmpdir(), 'order-service-rabbitmq-'));
    chmodSync(root, 0o755); // the nodes run as `rabbitmq`
    const nodes = offsets.map((index) => ({
      name: `${prefix}${index + 1}@localhost`,
      amqpPort: ports.amqp + index,
      distPort: ports.distribution + index,
      directory: join(root, `rabbitmq-c${index + 1}`),
    }));
    const cluster = new RabbitmqCluster({ vhost: VHOST, nodes });
    cluster.owned = new OwnedProcesses(() => nodes.map((node) => cluster.pidOf(node)), root);
    for (const node of nodes) prepareDirectory(node);
    try {
      await Promise.all(nodes.map((node) => cluster.startNode(node)));
      await cluster.join();
    } catch (error) {
      cluster.stop();
      throw error;
    }
    return cluster;
  }

  private async join(): Promise<void> {
    const [seed, ...others] = this.nodes;
    for (const node of others) {
      await rabbitmqctl(['stop_app'], { node: node.name });
      await rabbitmqctl(['join_cluster', seed.name], { node: node.name });
      await rabbitmqctl(['start_app'], { node: node.name });
    }
    await rabbitmqctl(['add_vhost', VHOST, '--default-queue-type', 'quorum'], { node: seed.name });
    await rabbitmqctl(['set_permissions', '-p', VHOST, 'guest', '.*', '.*', '.*'], { node: seed.name });
  }

  /** The cluster another process started (a global setup), to run faults on it from a test. */
  static attach(spec: RabbitmqClusterSpec): RabbitmqCluster {
    return new RabbitmqCluster(spec);
  }

  get nodes(): readonly RabbitmqNodeSpec[] {
    return this.spec.nodes;
  }

  url(node: RabbitmqNodeSpec): string {
    return `amqp://guest:guest@127.0.0.1:${node.amqpPort}/${VHOST}`;
  }

  /** RABBITMQ_URL for a client that should start on `first`: every node, `first` first, then the others in turn. */
  urlsStartingAt(first: RabbitmqNodeSpec): string {
    const index = this.nodes.indexOf(first);
    const ordered = [...this.nodes.slice(index), ...this.nodes.slice(0, index)];
    return ordered.map((node) => this.url(node)).join(',');
  }

  /** `rabbitmqctl` on `node` (the first one by default), scoped to the service's vhost. */
  target(node: RabbitmqNodeSpec = this.nodes[0]): BrokerTarget {
    return { node: node.name, vhost: VHOST };
  }

  /**
   * Declares `queue` durable, of the vhost's type (quorum), through `node`: a new quorum queue is
   * led by the node its declaring client is on (queue_leader_locator client-local, the default).
   */
  async declareQueueLedBy(node: RabbitmqNodeSpec, queue: string): Promise<void> {
    const connection = await amqp.connect(this.url(node));
    try {
      const channel = await connection.createChannel();
      await channel.assertQueue(queue, { durable: true });
    } finally {
      await connection.close();
    }
  }

  /** The node that leads `queue` (a quorum queue), as `via` sees it. */
  async leaderOf(queue: string, via: RabbitmqNodeSpec = this.nodes[0]): Promise<RabbitmqNodeSpec> {
    const leader = await queueInfo(queue, 'leader', this.target(via));
    const node = this.nodes.find(({ name }) => name === leader);
    if (!node) throw new Error(`${queue} is led by ${leader}, not a node of this cluster`);
    return node;
  }

  pidOf(node: RabbitmqNodeSpec): number | undefined {
    const file = pidFileOf(node);
    return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) || undefined : undefined;
  }

  isRunning(node: RabbitmqNodeSpec): boolean {
    const pid = this.pidOf(node);
    return pid !== undefined && isRunning(pid);
  }

  /** `kill -9` of the node's Erlang VM, as a crashed host; returns once the process is gone. */
  async kill(node: RabbitmqNodeSpec): Promise<void> {
    const pid = this.pidOf(node);
    signalQuietly(pid, 'SIGKILL');
    if (pid !== undefined) await eventually(() => (isRunning(pid) ? undefined : true), 10_000, `${node.name} gone`);
  }

  /** Starts a node (again: it rejoins the cluster it was in) and waits until it runs. */
  async startNode(node: RabbitmqNodeSpec): Promise<void> {
    // `rabbitmqctl wait` would otherwise read the pid of a killed VM from it, and give up.
    rmSync(pidFileOf(node), { force: true });
    await run('rabbitmq-server', ['-detached'], { env: { ...process.env, ...environmentOf(node) } });
    await rabbitmqctl(['wait', pidFileOf(node), '--timeout', String(STARTUP_TIMEOUT_S)], { node: node.name });
  }

  /**
   * Cuts `node` off from the other nodes, as a network partition would: toward each of them it now
   * presents a wrong Erlang cookie and drops the connection, so neither side can reconnect. The
   * CLI, which uses the default cookie, still reaches it. With pause_minority it stops serving.
   */
  async partition(node: RabbitmqNodeSpec): Promise<void> {
    await this.evalTowardOthers(node, "erlang:set_cookie(N, 'partitioned-by-a-test'), erlang:disconnect_node(N)");
  }

  /** Ends `partition`: the right cookie toward the others again, and a ping to reconnect. */
  async heal(node: RabbitmqNodeSpec): Promise<void> {
    await this.evalTowardOthers(node, 'erlang:set_cookie(N, erlang:get_cookie()), net_adm:ping(N)');
  }

  /** Runs `expression` on `node` once for each other node, bound to N. */
  private async evalTowardOthers(node: RabbitmqNodeSpec, expression: string): Promise<void> {
    const others = this.nodes.filter((other) => other !== node).map(({ name }) => `'${name}'`);
    await rabbitmqctl(['eval', `[begin ${expression} end || N <- [${others.join(', ')}]], ok.`], { node: node.name });
  }

  /** Whether every node reports every other one as running (the cluster is whole again). */
  async isWhole(): Promise<boolean> {
    const status = await rabbitmqctl(['cluster_status', '--formatter', 'json'], { node: this.nodes[0].name });
    const running = (JSON.parse(status) as { running_nodes: string[] }).running_nodes;
    return this.nodes.every(({ name }) => running.includes(name));
  }

  /** Kills every node it started, by its pid, and removes its directory. */
  stop(): void {
    this.owned?.release();
    this.owned = null;
  }
}

function pidFileOf(node: RabbitmqNodeSpec): string {
  return join(node.directory, 'pid');
}

/** The variables `rabbitmq-server` reads; the system's rabbitmq-env.conf gives way to each of them. */
function environmentOf(node: RabbitmqNodeSpec): Record<string, string> {
  return {
    RABBITMQ_NODENAME: node.name,
    RABBITMQ_DIST_PORT: String(node.distPort),
    RABBITMQ_CONFIG_FILE: join(node.directory, 'rabbitmq.conf'),
    RABBITMQ_MNESIA_BASE: join(node.directory, 'mnesia'),
    RABBITMQ_LOG_BASE: join(node.directory, 'log'),
    RABBITMQ_PID_FILE: pidFileOf(node),
  };
}

function prepareDirectory(node: RabbitmqNodeSpec): void {
  mkdirSync(node.directory, { recursive: true });
  // pause_minority, as production is advised to run: a node cut off from the others stops serving.
  const config = [`listeners.tcp.1 = 127.0.0.1:${node.amqpPort}`, 'cluster_partition_handling = pause_minority'];
  writeFileSync(join(node.directory, 'rabbitmq.conf'), `${config.join('\n')}\n`);
  const { uid, gid } = systemUser('rabbitmq');
  for (const path of [node.directory, join(node.directory, 'rabbitmq.conf')]) chownSync(path, uid, gid);
}
