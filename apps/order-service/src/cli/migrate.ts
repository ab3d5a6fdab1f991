import 'reflect-metadata';
import { prepareDatabase } from '../bootstrap.js';
import { loadEnvironment } from '../config/environment.js';

/** `npm run migrate`: create the database if needed and apply pending migrations, then exit. */
async function migrate(): Promise<void> {
  const environment = loadEnvironment({ ...process.env, MIGRATIONS_RUN: 'true' });
  const dataSource = await prepareDatabase(environment);
  await dataSource.destroy();
}

migrate().catch((error: unknown) => {
  // eslint-disable-next-line no-console -- a one-shot command: its failure goes to stderr
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
