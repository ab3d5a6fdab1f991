import { Logger } from '@nestjs/common';
import pg from 'pg';
import type { DataSource } from 'typeorm';

const DUPLICATE_DATABASE = '42P04';
/** Any constant shared by every replica: serializes their migration runs. */
const MIGRATION_LOCK_KEY = 7_300_417_001;

/** Creates the database named in the URL when it is missing (a fresh machine, a test run). */
export async function ensureDatabaseExists(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const client = new pg.Client({ connectionString: maintenance.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return;
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
    new Logger('Database').log(`Created database ${name}`);
  } catch (error) {
    if ((error as { code?: string }).code !== DUPLICATE_DATABASE) throw error;
  } finally {
    await client.end();
  }
}

/** Runs pending migrations under an advisory lock, so replicas starting together take turns. */
export async function runMigrations(dataSource: DataSource): Promise<void> {
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (applied.length > 0) {
      new Logger('Database').log(`Applied migrations: ${applied.map((migration) => migration.name).join(', ')}`);
    }
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.release();
  }
}
