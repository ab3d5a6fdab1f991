import { parseArgs } from 'node:util';
import { integerOption, runCli } from '@app/simulators';
import { DemoRun } from './demo-run.js';

const USAGE = `
npm run demo [-- options]: the service, product B and product A on this machine's Postgres and
RabbitMQ, on a database and queues of their own; ends with a summary and stops everything.

  --count N     messages product A sends (default 2000)
  --seed N      product A's seed (default 2026)
  --keep        leave the service running, and its database and queues in place
`;

runCli(async () => {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '2000' },
      seed: { type: 'string', default: '2026' },
      keep: { type: 'boolean', default: false },
    },
  });
  const demo = await DemoRun.prepare({
    rabbitmqUrl: process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
    postgresUrl: process.env.DEMO_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432',
    count: integerOption('count', values.count, 1),
    seed: values.seed,
    keep: values.keep,
  });
  return (await demo.run()) ? 0 : 1;
}, USAGE);
