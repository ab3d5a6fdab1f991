import { execFile } from 'node:child_process';
import { appendFileSync, chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { eventually } from '../../support/test-broker.js';
import { assertPortsFree } from './free-ports.js';
import { isRunning, OwnedProcesses, signalQuietly } from './owned-processes.js';
import { systemUser } from './system-user.js';

const run = promisify(execFile);

/** The name the standby connects under, and the one the primary waits for on every commit. */
const STANDBY_NAME = 'standby';

/** One Postgres server of the pair: its port and data directory. */
export interface PostgresServer {
  readonly role: 'primary' | 'standby';
  readonly port: number;
  readonly dataDirectory: string;
}

export interface PostgresPairPorts {
  readonly primary: number;
  readonly standby: number;
  /** Where the standby replicates from: a proxy in front of the primary, to cut replication; the primary's port by default. */
  readonly replication?: number;
}

/**
 * A Postgres primary with a synchronous standby, on loopback ports, in data directories of their
 * own under a temporary directory (the system server on 5432 is untouched). A commit returns only
 * once the standby has the WAL (synchronous_standby_names): what the primary acknowledged survives
 * its loss. The servers run as the `postgres` user; they refuse root.
 */
export class PostgresPair {
  private constructor(
    readonly primary: PostgresServer,
    readonly standby: PostgresServer,
    private readonly owned: OwnedProcesses,
  ) {}

  static async start({ replication, ...ports }: PostgresPairPorts): Promise<PostgresPair> {
    await assertPortsFree([ports.primary, ports.standby]);
    const root = mkdtempSync(join(tmpdir(), 'order-service-postgres-'));
    const { uid, gid } = systemUser('postgres');
    chownSync(root, uid, gid);
    chmodSync(root, 0o755);
    const primary: PostgresServer = { role: 'primary', port: ports.primary, dataDirectory: join(root, 'primary') };
    const standby: PostgresServer = { role: 'standby', port: ports.standby, dataDirectory: join(root, 'standby') };
    // SIGQUIT: a postmaster's immediate shutdown, which takes its backends down with it.
    const owned = new OwnedProcesses(() => [primary, standby].map(postmasterPid), root, 'SIGQUIT');
    const pair = new PostgresPair(primary, standby, owned);
    try {
      await pair.initialize(replication ?? ports.primary);
    } catch (error) {
      pair.stop();
      throw error;
    }
    return pair;
  }

  /** The URL of `server`, or of `database` on it. */
  static url(server: PostgresServer, database?: string): string {
    return `postgres://postgres@127.0.0.1:${server.port}${database === undefined ? '' : `/${database}`}`;
  }

  /**
   * The primary stops as a crashed host would (an immediate shutdown: no checkpoint, every
   * connection dropped); returns once its postmaster is gone.
   */
  async crashPrimary(): Promise<void> {
    const pid = postmasterPid(this.primary);
    signalQuietly(pid, 'SIGQUIT');
    if (pid !== undefined) await eventually(() => (isRunning(pid) ? undefined : true), 30_000, 'the primary gone');
  }

  /** `pg_ctl promote`: the standby becomes a primary that accepts writes, with no standby of its own. */
  async promoteStandby(): Promise<void> {
    await asPostgres(binary('pg_ctl'), ['promote', '-w', '-D', this.standby.dataDirectory]);
  }

  /** Whether the primary's replication to the standby is synchronous right now. */
  async standbyIsSynchronous(): Promise<boolean> {
    const rows = await query<{ sync_state: string }>(
      this.primary,
      'SELECT sync_state FROM pg_stat_replication WHERE application_name = $1',
      [STANDBY_NAME],
    );
    return rows[0]?.sync_state === 'sync';
  }

  /** The postmasters' pids, while they run. */
  get pids(): number[] {
    return [this.primary, this.standby].map(postmasterPid).filter((pid) => pid !== undefined);
  }

  /** Stops both servers by their postmasters' pids and removes their data. */
  stop(): void {
    this.owned.release();
  }

  private async initialize(replicationPort: number): Promise<void> {
    const { primary, standby } = this;
    await asPostgres(binary('initdb'), ['-D', primary.dataDirectory, '-U', 'postgres', '-A', 'trust', '--no-sync']);
    appendFileSync(join(primary.dataDirectory, 'postgresql.conf'), settings(primary));
    await startServer(primary);
    await asPostgres(binary('pg_basebackup'), [
      // -R writes this host and port into the standby's primary_conninfo.
      ...['-h', '127.0.0.1', '-p', String(replicationPort), '-U', 'postgres'],
      ...['-D', standby.dataDirectory, '-R', '-X', 'stream', '--no-sync'],
    ]);
    appendFileSync(join(standby.dataDirectory, 'postgresql.conf'), settings(standby));
    await startServer(standby);
    await query(primary, `ALTER SYSTEM SET synchronous_standby_names = '${STANDBY_NAME}'`);
    await query(primary, 'SELECT pg_reload_conf()');
    await eventually(() => this.standbyIsSynchronous().then((sync) => sync || undefined), 30_000, 'a sync standby');
  }
}

/**
 * fsync off: the machine is shared and slow, and the faults here kill processes, not the host,
 * so the OS page cache keeps what was written. The standby's own synchronous_standby_names stays
 * empty: once promoted, it must not wait for a standby it does not have.
 */
function settings(server: PostgresServer): string {
  return [
    '',
    `port = ${server.port}`,
    "listen_addresses = '127.0.0.1'",
    "unix_socket_directories = ''",
    'fsync = off',
    'max_connections = 200',
    ...(server.role === 'standby' ? [`cluster_name = '${STANDBY_NAME}'`, "synchronous_standby_names = ''"] : []),
    '',
  ].join('\n');
}

async function startServer(server: PostgresServer): Promise<void> {
  const log = join(server.dataDirectory, 'server.log');
  await asPostgres(binary('pg_ctl'), ['start', '-w', '-t', '60', '-D', server.dataDirectory, '-l', log]);
}

function postmasterPid(server: PostgresServer): number | undefined {
  const file = join(server.dataDirectory, 'postmaster.pid');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) || undefined : undefined;
}

/** One statement on `server`, on a connection of its own, straight to it (not through a proxy). */
export async function query<T>(
  server: PostgresServer,
  sql: string,
  parameters: unknown[] = [],
  database = 'postgres',
): Promise<T[]> {
  const client = new pg.Client({ connectionString: PostgresPair.url(server, database) });
  await client.connect();
  try {
    return (await client.query(sql, parameters)).rows as T[];
  } finally {
    await client.end();
  }
}

/** The server binaries of the newest Postgres installed (Debian keeps them off PATH). */
function binary(name: string): string {
  const versions = readdirSync('/usr/lib/postgresql')
    .filter((entry) => /^\d+$/.test(entry))
    .sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) throw new Error('no Postgres server under /usr/lib/postgresql');
  return join('/usr/lib/postgresql', versions[0], 'bin', name);
}

/** Postgres refuses to run as root: as root, the command runs as the `postgres` user. */
export async function asPostgres(command: string, args: readonly string[]): Promise<void> {
  const asRoot = process.getuid?.() === 0;
  await run(asRoot ? 'runuser' : command, asRoot ? ['-u', 'postgres', '--', command, ...args] : [...args], {
    cwd: tmpdir(),
  });
}
