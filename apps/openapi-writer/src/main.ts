import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import amqp from 'amqplib';
import pg from 'pg';
import { canonicalJson } from './canonical-json.js';

/*
 * `npm run docs`: starts the built service on a database and queues of its own, reads the OpenAPI
 * document it serves (GET /docs/json) and writes it to docs/openapi.json with its keys sorted, so
 * that the same service always gives the same file.
 */

const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const POSTGRES_URL = process.env.DOCS_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
const START_TIMEOUT_MS = 60_000;
const fromRoot = (path: string) => fileURLToPath(new URL(`../../../../${path}`, import.meta.url));

async function main(): Promise<void> {
  const tag = `docs${randomBytes(4).toString('hex')}`;
  // Every queue and exchange the service declares gets a name of this run's own, removed afterwards.
  const queues = [
    `${tag}.in`,
    `${tag}.dlq`,
    `${tag}.events`,
    `${tag}.status`,
    `${tag}.payments`,
    `${tag}.payments.dlq`,
  ];
  const exchanges = [`${tag}.inbound`, `${tag}.dlx`, `${tag}.events`, `${tag}.payments`, `${tag}.payments.dlx`];
  const service = spawn(process.execPath, [fromRoot('dist/apps/order-service/src/main.js')], {
    env: {
      ...process.env,
      DATABASE_URL: `${POSTGRES_URL}/${tag}`,
      HTTP_PORT: '0',
      MANAGEMENT_PORT: '0',
      LOG_LEVEL: 'log',
      SERVICE_NAME: tag,
      // The service starts in production mode, which needs a key; the document itself needs none.
      API_KEYS: randomBytes(16).toString('hex'),
      INBOUND_QUEUE: queues[0],
      DEAD_LETTER_QUEUE: queues[1],
      EVENTS_QUEUE: queues[2],
      INBOUND_EXCHANGE: exchanges[0],
      DEAD_LETTER_EXCHANGE: exchanges[1],
      EVENTS_EXCHANGE: exchanges[2],
      STATUS_EVENTS_QUEUE: queues[3],
      PAYMENTS_QUEUE: queues[4],
      PAYMENTS_DEAD_LETTER_QUEUE: queues[5],
      PAYMENTS_EXCHANGE: exchanges[3],
      PAYMENTS_DEAD_LETTER_EXCHANGE: exchanges[4],
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const port = await new Promise<string>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`the service did not listen:\n${output}`)), START_TIMEOUT_MS);
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /HTTP on port (\d+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      };
      service.stdout.on('data', read);
      service.stderr.on('data', read);
      service.once('exit', (code) => reject(new Error(`the service exited with ${code}:\n${output}`)));
    });
    const response = await fetch(`http://127.0.0.1:${port}/docs/json`);
    if (!response.ok) throw new Error(`GET /docs/json answered ${response.status}`);
    writeFileSync(fromRoot('docs/openapi.json'), canonicalJson(await response.json()));
    process.stdout.write('docs/openapi.json written\n');
  } finally {
    if (service.exitCode === null && service.signalCode === null) {
      const exited = once(service, 'exit');
      service.kill('SIGTERM');
      await exited;
    }
    const connection = await amqp.connect(RABBITMQ_URL);
    const channel = await connection.createChannel();
    for (const queue of queues) await channel.deleteQueue(queue);
    for (const exchange of exchanges) await channel.deleteExchange(exchange);
    await connection.close();
    const client = new pg.Client({ connectionString: `${POSTGRES_URL}/postgres` });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${tag}" WITH (FORCE)`);
    await client.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`npm run docs failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
