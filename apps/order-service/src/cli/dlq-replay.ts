import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { loadEnvironment } from '../config/environment.js';
import { ORDER_REJECTION_REASONS } from '../messaging/rejection.js';
import { untilReady } from '../bootstrap.js';
import {
  AmqpDeadLetterReplay,
  type DeadLetter,
  type ReplayOutcome,
  type ReplayRequest,
} from './amqp-dead-letter.replay.js';
import { errorMessage } from '../observability/error-message.js';
import { isTransientBrokerError } from '../outbound/amqp/amqp-errors.js';

const DONE = 0;
const STOPPED = 1;
const BAD_USAGE = 2;

const USAGE = `Usage: npm run dlq:replay -- [--reason <code>]... [--limit <n>] [--dry-run]
  --reason <code>  only dead letters with this x-rejection-reason (${ORDER_REJECTION_REASONS.join(', ')}); may repeat
  --limit <n>      at most n dead letters
  --dry-run        list them (outcome, message id, reason, externalId, detail) and leave them in the queue`;

class UsageError extends Error {}

function options(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        reason: { type: 'string', multiple: true, default: [] },
        limit: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function requestFrom(args: string[]): ReplayRequest {
  const values = options(args);
  const unknown = values.reason.find((reason) => !(ORDER_REJECTION_REASONS as readonly string[]).includes(reason));
  if (unknown !== undefined) throw new UsageError(`--reason ${unknown} is not a rejection reason`);
  const limit = values.limit === undefined ? Number.POSITIVE_INFINITY : Number(values.limit);
  if (limit !== Number.POSITIVE_INFINITY && !(Number.isInteger(limit) && limit >= 1)) {
    throw new UsageError(`--limit must be a whole number of at least 1, not ${values.limit}`);
  }
  return { reasons: values.reason, limit, dryRun: values['dry-run'] };
}

function line(letter: DeadLetter, outcome: ReplayOutcome): string {
  const fields = [outcome, letter.messageId, letter.reason, letter.externalId, letter.detail];
  return `${fields.map((field) => field ?? '-').join('\t')}\n`;
}

/**
 * `npm run dlq:replay`: sends dead-lettered messages back to the inbound exchange, once their cause
 * is fixed (a poison message's bug, a dependency's data), filtered by reason; `--dry-run` lists them.
 * Uses the service's configuration. Exits 0 when done, 1 when a message could not be routed, 2 on
 * bad usage.
 */
async function replay(): Promise<number> {
  const request = requestFrom(process.argv.slice(2));
  const environment = loadEnvironment();
  const target = {
    url: environment.RABBITMQ_URL,
    connectionName: `${environment.SERVICE_NAME} dlq-replay`,
    deadLetterQueue: environment.DEAD_LETTER_QUEUE,
    inboundExchange: environment.INBOUND_EXCHANGE,
    inboundRoutingKey: environment.INBOUND_ROUTING_KEY,
  };
  // A replay cut short by the broker going away starts again: a message replayed twice is a duplicate.
  const summary = await untilReady(
    'RabbitMQ',
    () =>
      new AmqpDeadLetterReplay(target).run(request, (letter, outcome) => process.stdout.write(line(letter, outcome))),
    isTransientBrokerError,
  );
  const looked = `of the ${summary.inQueue} dead letters in ${target.deadLetterQueue}`;
  if (request.dryRun) {
    process.stdout.write(`${summary.matched} ${looked} match; nothing was replayed (dry run).\n`);
    return DONE;
  }
  process.stdout.write(`Replayed ${summary.replayed} ${looked} to ${target.inboundExchange}.\n`);
  if (!summary.stoppedUnroutable) return DONE;
  process.stderr.write(
    `Stopped: ${target.inboundExchange} routed a message to no queue (is the service's queue bound with ` +
      `${target.inboundRoutingKey}?); it stays in ${target.deadLetterQueue}.\n`,
  );
  return STOPPED;
}

replay().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n${USAGE}\n`);
      process.exit(BAD_USAGE);
    }
    process.stderr.write(`Replay failed: ${errorMessage(error)}\n`);
    process.exit(STOPPED);
  },
);
