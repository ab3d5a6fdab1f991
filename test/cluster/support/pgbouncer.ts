import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { eventually } from '../../support/test-broker.js';
import { assertPortsFree } from './free-ports.js';
import { OwnedProcesses } from './owned-processes.js';
import { asPostgres } from './postgres-pair.js';
import { systemUser } from './system-user.js';

const run = promisify(execFile);

/** Connections PgBouncer opens to Postgres per database and user, whatever the number of clients. */
export const SERVER_POOL_SIZE = 10;

/** Client and server connections of one pool, as PgBouncer's SHOW POOLS counts them. */
export interface PoolUse {
  readonly clients: number;
  readonly servers: number;
}

/**
 * PgBouncer in transaction mode in front of a Postgres server, on a loopback port, run as the
 * `postgres` user (it refuses root) from a temporary directory. The driver's session settings sent
 * at startup (statement_timeout, idle_in_transaction_session_timeout) are ignored, as the README
 * says to deploy it; they would be set on the role there.
 */
export class PgBouncer {
  private constructor(
    readonly port: number,
    private readonly owned: OwnedProcesses,
  ) {}

  static async start(port: number, postgresPort: number): Promise<PgBouncer> {
    await run('pgbouncer', ['--version']).catch(() => {
      throw new Error('pgbouncer is not installed: apt-get install pgbouncer (README, the cluster suite)');
    });
    await assertPortsFree([port]);
    const directory = mkdtempSync(join(tmpdir(), 'order-service-pgbouncer-'));
    const pidFile = join(directory, 'pgbouncer.pid');
    const owned = new OwnedProcesses(() => [pidIn(pidFile)], directory);
    const bouncer = new PgBouncer(port, owned);
    try {
      const config = join(directory, 'pgbouncer.ini');
      writeFileSync(join(directory, 'users.txt'), '"postgres" ""\n');
      writeFileSync(config, configuration(directory, port, postgresPort, pidFile));
      const { uid, gid } = systemUser('postgres');
      for (const path of [directory, config, join(directory, 'users.txt')]) chownSync(path, uid, gid);
      await asPostgres('pgbouncer', ['-d', config]);
      await eventually(() => (existsSync(pidFile) ? true : undefined), 10_000, 'pgbouncer started');
    } catch (error) {
      bouncer.stop();
      throw error;
    }
    return bouncer;
  }

  url(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** What the pool of `database` holds now (admin console, SHOW POOLS). */
  async poolOf(database: string): Promise<PoolUse> {
    const admin = new pg.Client({ connectionString: this.url('pgbouncer') });
    await admin.connect();
    try {
      const { rows } = await admin.query<Record<string, string>>('SHOW POOLS');
      const pool = rows.find((row) => row.database === database);
      const sum = (...columns: string[]) => columns.reduce((total, column) => total + Number(pool?.[column] ?? 0), 0);
      return {
        clients: sum('cl_active', 'cl_waiting'),
        servers: sum('sv_active', 'sv_idle', 'sv_used', 'sv_tested', 'sv_login'),
      };
    } finally {
      await admin.end();
    }
  }

  stop(): void {
    this.owned.release();
  }
}

function configuration(directory: string, port: number, postgresPort: number, pidFile: string): string {
  return [
    '[databases]',
    `* = host=127.0.0.1 port=${postgresPort}`,
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${port}`,
    'unix_socket_dir =',
    'auth_type = trust',
    `auth_file = ${join(directory, 'users.txt')}`,
    'admin_users = postgres',
    'pool_mode = transaction',
    'max_client_conn = 500',
    `default_pool_size = ${SERVER_POOL_SIZE}`,
    'ignore_startup_parameters = statement_timeout,idle_in_transaction_session_timeout',
    `pidfile = ${pidFile}`,
    `logfile = ${join(directory, 'pgbouncer.log')}`,
    '',
  ].join('\n');
}

function pidIn(file: string): number | undefined {
  return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) || undefined : undefined;
}
