import { plainToInstance, Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateBy,
  ValidateIf,
  validateSync,
} from 'class-validator';

const AMQP_NAME = /^[A-Za-z0-9._:-]{1,255}$/;
const amqpName = (variable: string) =>
  Matches(AMQP_NAME, { message: `${variable} must be 1-255 characters of A-Z a-z 0-9 . _ : -` });

/** An integer read from the environment's text, with one message that states the whole range. */
function integerSetting(variable: string, min: number, max = Number.MAX_SAFE_INTEGER): PropertyDecorator {
  const message =
    max === Number.MAX_SAFE_INTEGER
      ? `${variable} must be an integer of at least ${min}`
      : `${variable} must be an integer between ${min} and ${max}`;
  const decorators = [Type(() => Number), IsInt({ message }), Min(min, { message }), Max(max, { message })];
  return (target, property) => decorators.forEach((decorate) => decorate(target, property));
}

/** A second listener's port: the same port as `other` would fail to bind (0, a free port, never does). */
function otherPortThan(variable: string, other: 'HTTP_PORT'): PropertyDecorator {
  return ValidateBy({
    name: 'otherPortThan',
    validator: {
      validate: (value, args) => value === 0 || value !== (args?.object as Environment)[other],
      defaultMessage: () => `${variable} must differ from ${other}`,
    },
  });
}

/**
 * Every setting the service reads, with the defaults that work on a developer machine (local
 * Postgres with trust auth, local RabbitMQ as guest). Property names are the environment variables.
 */
export class Environment {
  @Matches(/^postgres(ql)?:\/\/.+\/[^/?]+/, {
    message: 'DATABASE_URL must be a postgres:// URL that names a database, e.g. postgres://user@host:5432/db',
  })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/order_service';

  /**
   * Where migrations run (and the database is created), when not through DATABASE_URL: a direct
   * connection to the primary when DATABASE_URL goes through PgBouncer in transaction mode, which
   * cannot hold the session-level advisory lock that makes replicas take turns. Empty: DATABASE_URL.
   */
  @ValidateIf((environment: Environment) => environment.MIGRATION_DATABASE_URL !== '')
  @Matches(/^postgres(ql)?:\/\/.+\/[^/?]+/, {
    message: 'MIGRATION_DATABASE_URL must be empty or a postgres:// URL that names a database',
  })
  MIGRATION_DATABASE_URL = '';

  @integerSetting('DATABASE_POOL_SIZE', 1, 200)
  DATABASE_POOL_SIZE = 10;

  /** Opening a connection, TCP and authentication: past it the attempt fails as the database being away. */
  @integerSetting('DATABASE_CONNECT_TIMEOUT_MS', 100, 600_000)
  DATABASE_CONNECT_TIMEOUT_MS = 5_000;

  /**
   * The server cancels a statement running longer (statement_timeout); the client gives up on an
   * answer 5 s after that (query_timeout), for a server or network that went silent.
   */
  @integerSetting('DATABASE_STATEMENT_TIMEOUT_MS', 100, 3_600_000)
  DATABASE_STATEMENT_TIMEOUT_MS = 30_000;

  @Transform(({ value }: { value: unknown }) => parseBoolean(value))
  @IsBoolean({ message: 'MIGRATIONS_RUN must be true or false' })
  MIGRATIONS_RUN = true;

  /** One node, or a cluster's nodes comma-separated: clients connect to the first that answers. */
  @Matches(/^\s*amqps?:\/\/[^,\s]+(\s*,\s*amqps?:\/\/[^,\s]+)*\s*$/, {
    message: 'RABBITMQ_URL must be an amqp:// or amqps:// URL, or a comma-separated list of them',
  })
  RABBITMQ_URL = 'amqp://guest:guest@127.0.0.1:5672';

  @integerSetting('HTTP_PORT', 0, 65535)
  HTTP_PORT = 3000;

  /**
   * A second listener with only /health/live, /health/ready and /metrics (also served on HTTP_PORT),
   * for probes and scrapes outside the API's rate limit and traffic; 0 asks for a free port.
   */
  @integerSetting('MANAGEMENT_PORT', 0, 65535)
  @otherPortThan('MANAGEMENT_PORT', 'HTTP_PORT')
  MANAGEMENT_PORT = 9000;

  /**
   * REST requests a minute per API key (per client address without a valid key); 0 turns the limit
   * off. The default is several times what product B needs at the brief's peak.
   */
  @integerSetting('HTTP_RATE_LIMIT_PER_MINUTE', 0, 10_000_000)
  HTTP_RATE_LIMIT_PER_MINUTE = 12_000;

  /** A client must have sent a request's headers within this (a slow-loris client is cut off). */
  @integerSetting('HTTP_HEADERS_TIMEOUT_MS', 100, 600_000)
  HTTP_HEADERS_TIMEOUT_MS = 10_000;

  /** The whole request, headers and body, must have arrived within this. */
  @integerSetting('HTTP_REQUEST_TIMEOUT_MS', 100, 600_000)
  HTTP_REQUEST_TIMEOUT_MS = 30_000;

  /** A socket on which nothing at all happens is closed after this. */
  @integerSetting('HTTP_CONNECTION_TIMEOUT_MS', 100, 600_000)
  HTTP_CONNECTION_TIMEOUT_MS = 60_000;

  /** An idle keep-alive connection is closed after this; above a load balancer's usual 60 s idle timeout. */
  @integerSetting('HTTP_KEEP_ALIVE_TIMEOUT_MS', 100, 600_000)
  HTTP_KEEP_ALIVE_TIMEOUT_MS = 65_000;

  /**
   * Bytes of order documents in one page of GET /orders: a page ends early, with nextCursor, before
   * the orders in it pass this size (one order alone always fits).
   */
  @integerSetting('HTTP_PAGE_MAX_BYTES', 64 * 1024, 256 * 1024 * 1024)
  HTTP_PAGE_MAX_BYTES = 2 * 1024 * 1024;

  @amqpName('INBOUND_EXCHANGE')
  INBOUND_EXCHANGE = 'orders.inbound';

  @amqpName('INBOUND_ROUTING_KEY')
  INBOUND_ROUTING_KEY = 'order.placed';

  @amqpName('INBOUND_QUEUE')
  INBOUND_QUEUE = 'order-service.order-placed';

  @amqpName('DEAD_LETTER_EXCHANGE')
  DEAD_LETTER_EXCHANGE = 'orders.inbound.dlx';

  @amqpName('DEAD_LETTER_QUEUE')
  DEAD_LETTER_QUEUE = 'order-service.order-placed.dlq';

  @amqpName('EVENTS_EXCHANGE')
  EVENTS_EXCHANGE = 'orders.events';

  @amqpName('EVENTS_ROUTING_KEY')
  EVENTS_ROUTING_KEY = 'order.calculated';

  @amqpName('EVENTS_QUEUE')
  EVENTS_QUEUE = 'order.calculated';

  @amqpName('EVENTS_PAID_ROUTING_KEY')
  EVENTS_PAID_ROUTING_KEY = 'order.paid';

  @amqpName('EVENTS_PAYMENT_FAILED_ROUTING_KEY')
  EVENTS_PAYMENT_FAILED_ROUTING_KEY = 'order.payment-failed';

  @amqpName('EVENTS_SHIPPED_ROUTING_KEY')
  EVENTS_SHIPPED_ROUTING_KEY = 'order.shipped';

  @amqpName('EVENTS_DELIVERED_ROUTING_KEY')
  EVENTS_DELIVERED_ROUTING_KEY = 'order.delivered';

  @amqpName('EVENTS_CANCELLED_ROUTING_KEY')
  EVENTS_CANCELLED_ROUTING_KEY = 'order.cancelled';

  /** The queue bound to the five status-change routing keys above. */
  @amqpName('STATUS_EVENTS_QUEUE')
  STATUS_EVENTS_QUEUE = 'order.status-changed';

  @amqpName('PAYMENTS_EXCHANGE')
  PAYMENTS_EXCHANGE = 'payments.events';

  @amqpName('PAYMENTS_CONFIRMED_ROUTING_KEY')
  PAYMENTS_CONFIRMED_ROUTING_KEY = 'payment.confirmed';

  @amqpName('PAYMENTS_REJECTED_ROUTING_KEY')
  PAYMENTS_REJECTED_ROUTING_KEY = 'payment.rejected';

  @amqpName('PAYMENTS_QUEUE')
  PAYMENTS_QUEUE = 'order-service.payments';

  @amqpName('PAYMENTS_DEAD_LETTER_EXCHANGE')
  PAYMENTS_DEAD_LETTER_EXCHANGE = 'order-service.payments.dlx';

  @amqpName('PAYMENTS_DEAD_LETTER_QUEUE')
  PAYMENTS_DEAD_LETTER_QUEUE = 'order-service.payments.dlq';

  /** Two batches: while one commits, the next is already here. */
  @integerSetting('PAYMENTS_PREFETCH', 1, 65535)
  PAYMENTS_PREFETCH = 200;

  /** Larger payment messages are dead-lettered unread (invalid-payment); a payment is a few hundred bytes. */
  @integerSetting('PAYMENTS_MAX_MESSAGE_BYTES', 1024, 4 * 1024 * 1024)
  PAYMENTS_MAX_MESSAGE_BYTES = 64 * 1024;

  /** Payment messages per transaction at most (the payments of one order never share one). */
  @integerSetting('PAYMENTS_BATCH_SIZE', 1, 1000)
  PAYMENTS_BATCH_SIZE = 100;

  /**
   * A payment for an order the service does not know yet is retried with backoff this long (it may
   * have overtaken its order) before it is dead-lettered as unknown-order.
   */
  @integerSetting('PAYMENTS_UNKNOWN_ORDER_RETRY_MS', 0, 86_400_000)
  PAYMENTS_UNKNOWN_ORDER_RETRY_MS = 60_000;

  /**
   * Deliveries in hand at most; lowered at start when INBOUND_PREFETCH × INBOUND_MAX_MESSAGE_BYTES
   * does not fit INBOUND_MAX_BYTES_IN_HAND. Fewer in hand, smaller transactions: the drain at 120 is
   * about 0.7 of the drain at 1000 (docs/benchmarks/2026-12-06-message-cost.md), the price of the bound.
   */
  @integerSetting('INBOUND_PREFETCH', 1, 65535)
  INBOUND_PREFETCH = 120;

  /**
   * The bodies both consumers may hold at once, worst case: prefetch × the largest message accepted,
   * per queue. It is what bounds the service's memory under a burst of the largest orders.
   */
  @integerSetting('INBOUND_MAX_BYTES_IN_HAND', 1024 * 1024, 64 * 1024 * 1024 * 1024)
  INBOUND_MAX_BYTES_IN_HAND = 512 * 1024 * 1024;

  @integerSetting('INBOUND_BATCH_SIZE', 1, 1000)
  INBOUND_BATCH_SIZE = 250;

  /**
   * Larger bodies are dead-lettered unread. 4 MiB holds the largest legal order however it is
   * written: 1000 lines with every string at its longest and every character \u-escaped is ~3.3 MB.
   */
  @integerSetting('INBOUND_MAX_MESSAGE_BYTES', 1024, 128 * 1024 * 1024)
  INBOUND_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

  /**
   * Orders from this size up are decoded and checked on a thread of their own: inline, a maximal
   * order would hold the event loop for tens of milliseconds. Below it, inline costs less than the hop.
   */
  @integerSetting('INBOUND_OFF_THREAD_DECODE_BYTES', 1024, 128 * 1024 * 1024)
  INBOUND_OFF_THREAD_DECODE_BYTES = 64 * 1024;

  @integerSetting('PROCESSING_MAX_ATTEMPTS', 1, 100)
  PROCESSING_MAX_ATTEMPTS = 5;

  /**
   * A valid message is dead-lettered processing-failed only after PROCESSING_MAX_ATTEMPTS failures
   * and at least this long failing: longer than a database failover, so that an outage taken for a
   * failure cannot dead-letter the orders in hand.
   */
  @integerSetting('PROCESSING_MIN_FAILING_MS', 0, 86_400_000)
  PROCESSING_MIN_FAILING_MS = 60_000;

  /**
   * A redelivered message is handled alone, under a processing mark; one whose handling the process
   * died in this many times (marks left behind) is dead-lettered processing-failed unread. At most 9:
   * the inbound queues' x-delivery-limit (20) must absorb what it costs the messages beside it.
   */
  @integerSetting('PROCESSING_MAX_DELIVERIES', 1, 9)
  PROCESSING_MAX_DELIVERIES = 3;

  @integerSetting('RETRY_BASE_DELAY_MS', 1)
  RETRY_BASE_DELAY_MS = 200;

  @integerSetting('RETRY_MAX_DELAY_MS', 1)
  RETRY_MAX_DELAY_MS = 30_000;

  @IsIn(['fatal', 'error', 'warn', 'log', 'debug', 'verbose'], {
    message: 'LOG_LEVEL must be one of fatal, error, warn, log, debug, verbose',
  })
  LOG_LEVEL = 'log';

  @IsString()
  @MinLength(1, { message: 'SERVICE_NAME must not be empty' })
  SERVICE_NAME = 'order-service';

  /** Production unless set: only an explicit `development` (as `npm start` sets) allows the development key. */
  @IsIn(['development', 'test', 'production'], { message: 'NODE_ENV must be one of development, test, production' })
  NODE_ENV = 'production';

  /**
   * Product B's API keys, comma-separated. Unset, the service starts only with NODE_ENV=development,
   * on DEVELOPMENT_API_KEY (see applyApiKeyPolicy).
   */
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? splitList(value) : value))
  @IsString({ each: true })
  @MinLength(16, { each: true, message: 'API_KEYS must list keys of at least 16 characters, comma-separated' })
  API_KEYS: string[] = [];

  @integerSetting('OUTBOX_BATCH_SIZE', 1, 5000)
  OUTBOX_BATCH_SIZE = 250;

  @integerSetting('OUTBOX_POLL_INTERVAL_MS', 10, 60_000)
  OUTBOX_POLL_INTERVAL_MS = 500;

  /** Longer than a publish may take (PUBLISH_TIMEOUT_MS), so the sweep rarely doubles a publish in progress. */
  @integerSetting('OUTBOX_SWEEP_AFTER_MS', 0, 600_000)
  OUTBOX_SWEEP_AFTER_MS = 15_000;

  @integerSetting('OUTBOX_RETENTION_HOURS', 1, 24 * 365)
  OUTBOX_RETENTION_HOURS = 24;

  /**
   * At shutdown, how long the relay may go on publishing what is left, after the deliveries in hand
   * have settled; the pod's grace period covers it. What is left then is published later.
   */
  @integerSetting('SHUTDOWN_OUTBOX_DRAIN_MS', 0, 600_000)
  SHUTDOWN_OUTBOX_DRAIN_MS = 10_000;
}

export const DEVELOPMENT_API_KEY = 'local-development-key';

/** Values that must never appear in a log line or an error message. */
const SECRET_VARIABLES = new Set(['API_KEYS']);

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** What a bad value looks like in the error: secrets hidden, credentials in URLs masked. */
function shown(variable: string, value: string | undefined): string {
  if (SECRET_VARIABLES.has(variable)) return '(hidden)';
  return JSON.stringify(value === undefined ? undefined : withoutPasswords(value));
}

/** A URL's password masked, up to its last "@" (a password may hold one), and so is a password= parameter. */
function withoutPasswords(url: string): string {
  return url.replace(/(\/\/[^:/@]*:).*@/, '$1***@').replace(/([?&]password=)[^&]*/gi, '$1***');
}

function parseBoolean(value: unknown): unknown {
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return value;
}

export class InvalidConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'InvalidConfigurationError';
  }
}

/**
 * Reads and validates the environment once, at boot; a bad variable stops the start with its name.
 * An empty variable counts as unset, as orchestrators often render optional values that way.
 */
export function loadEnvironment(source: NodeJS.ProcessEnv = process.env): Environment {
  const known = Object.keys(new Environment());
  const provided = Object.fromEntries(
    known.filter((key) => source[key] !== undefined && source[key] !== '').map((key) => [key, source[key]]),
  );
  const environment = plainToInstance(Environment, provided, { exposeDefaultValues: true });
  const errors = validateSync(environment, { forbidUnknownValues: false });
  if (errors.length > 0) {
    throw new InvalidConfigurationError(
      errors.map((error) => {
        const messages = Object.values(error.constraints ?? {}).join('; ');
        return `${messages} (got ${shown(error.property, source[error.property])})`;
      }),
    );
  }
  return environment;
}

/** The texts of docker/k8s/secret.example.yaml and their like: never a real secret. */
const PLACEHOLDER = /change-?me|placeholder|example/i;

/**
 * The service's keys (the CLIs need none): configured ones, or the development key when NODE_ENV
 * is explicitly `development`. Production also refuses the development key and any placeholder,
 * in a key or in a connection URL's password, so an example Secret applied by mistake stops the start.
 */
export function applyApiKeyPolicy(environment: Environment): 'configured' | 'development' {
  if (environment.NODE_ENV === 'production') {
    const problems = [
      ...(environment.API_KEYS.some((key) => key === DEVELOPMENT_API_KEY || PLACEHOLDER.test(key))
        ? ['API_KEYS holds the development key or a placeholder; set real keys']
        : []),
      ...(['DATABASE_URL', 'RABBITMQ_URL'] as const)
        .filter((variable) => PLACEHOLDER.test(passwordOf(environment[variable])))
        .map((variable) => `${variable} has a placeholder password; set the real one`),
    ];
    if (problems.length > 0) throw new InvalidConfigurationError(problems);
  }
  if (environment.API_KEYS.length > 0) return 'configured';
  if (environment.NODE_ENV !== 'development') {
    throw new InvalidConfigurationError([
      'API_KEYS must be set (or NODE_ENV=development, for the development key on a developer machine)',
    ]);
  }
  environment.API_KEYS = [DEVELOPMENT_API_KEY];
  return 'development';
}

function passwordOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}
