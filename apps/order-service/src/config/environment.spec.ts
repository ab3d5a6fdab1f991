import { describe, expect, it } from 'vitest';
import { applyApiKeyPolicy, DEVELOPMENT_API_KEY, InvalidConfigurationError, loadEnvironment } from './environment.js';

describe('loadEnvironment', () => {
  it('works with no configuration, on the local Postgres and RabbitMQ and the contract names', () => {
    const environment = loadEnvironment({});
    expect(environment).toMatchObject({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/order_service',
      RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:5672',
      HTTP_PORT: 3000,
      INBOUND_EXCHANGE: 'orders.inbound',
      INBOUND_ROUTING_KEY: 'order.placed',
      INBOUND_QUEUE: 'order-service.order-placed',
      DEAD_LETTER_EXCHANGE: 'orders.inbound.dlx',
      DEAD_LETTER_QUEUE: 'order-service.order-placed.dlq',
      EVENTS_EXCHANGE: 'orders.events',
      EVENTS_ROUTING_KEY: 'order.calculated',
      EVENTS_QUEUE: 'order.calculated',
      PROCESSING_MAX_ATTEMPTS: 5,
      MIGRATIONS_RUN: true,
      INBOUND_MAX_MESSAGE_BYTES: 4 * 1024 * 1024,
      HTTP_RATE_LIMIT_PER_MINUTE: 12_000,
    });
  });

  it('turns the rate limit off with 0, and refuses a negative limit or a message limit under 1 KiB', () => {
    expect(loadEnvironment({ HTTP_RATE_LIMIT_PER_MINUTE: '0' }).HTTP_RATE_LIMIT_PER_MINUTE).toBe(0);
    expect(() => loadEnvironment({ HTTP_RATE_LIMIT_PER_MINUTE: '-1' })).toThrow(/HTTP_RATE_LIMIT_PER_MINUTE/);
    expect(() => loadEnvironment({ INBOUND_MAX_MESSAGE_BYTES: '100' })).toThrow(
      /INBOUND_MAX_MESSAGE_BYTES must be an integer between 1024 and 134217728/,
    );
  });

  it('serves probes and metrics on a management port of its own, never the API port', () => {
    expect(loadEnvironment({}).MANAGEMENT_PORT).toBe(9000);
    expect(loadEnvironment({ HTTP_PORT: '0', MANAGEMENT_PORT: '0' }).MANAGEMENT_PORT).toBe(0);
    expect(() => loadEnvironment({ HTTP_PORT: '9000' })).toThrow(/MANAGEMENT_PORT must differ from HTTP_PORT/);
    expect(() => loadEnvironment({ MANAGEMENT_PORT: '65536' })).toThrow(/MANAGEMENT_PORT must be an integer/);
  });

  it('reads numbers and booleans from their text', () => {
    const environment = loadEnvironment({ INBOUND_PREFETCH: '200', MIGRATIONS_RUN: 'false', HTTP_PORT: '8080' });
    expect(environment).toMatchObject({ INBOUND_PREFETCH: 200, MIGRATIONS_RUN: false, HTTP_PORT: 8080 });
  });

  it('treats an empty variable as unset', () => {
    expect(loadEnvironment({ HTTP_PORT: '' }).HTTP_PORT).toBe(3000);
  });

  it('stops the boot with a message naming every bad variable and its value', () => {
    const load = () =>
      loadEnvironment({ INBOUND_PREFETCH: 'lots', DATABASE_URL: 'mysql://x/y', MIGRATIONS_RUN: 'maybe' });
    expect(load).toThrow(InvalidConfigurationError);
    expect(load).toThrow(/INBOUND_PREFETCH must be an integer.*"lots"/);
    expect(load).toThrow(/DATABASE_URL must be a postgres:\/\/ URL.*"mysql:\/\/x\/y"/);
    expect(load).toThrow(/MIGRATIONS_RUN must be true or false.*"maybe"/);
  });

  it('reads API_KEYS as a comma-separated list', () => {
    const environment = loadEnvironment({ API_KEYS: ' key-one-0123456789 ,key-two-0123456789,' });
    expect(environment.API_KEYS).toEqual(['key-one-0123456789', 'key-two-0123456789']);
  });

  it('uses the development key only when NODE_ENV=development is set explicitly', () => {
    const development = loadEnvironment({ NODE_ENV: 'development' });
    expect(applyApiKeyPolicy(development)).toBe('development');
    expect(development.API_KEYS).toEqual([DEVELOPMENT_API_KEY]);
    for (const source of [{}, { NODE_ENV: 'test' }, { NODE_ENV: 'production' }]) {
      expect(() => applyApiKeyPolicy(loadEnvironment(source))).toThrow(/API_KEYS must be set/);
    }
    expect(applyApiKeyPolicy(loadEnvironment({ API_KEYS: 'real-key-0123456789abcdef' }))).toBe('configured');
  });

  it('refuses in production the development key and placeholder keys or passwords', () => {
    const production = (source: Record<string, string>) => () => applyApiKeyPolicy(loadEnvironment(source));
    expect(production({ API_KEYS: DEVELOPMENT_API_KEY })).toThrow(/development key or a placeholder/);
    expect(production({ API_KEYS: 'real-key-0123456789abcdef,change-me-to-product-b-key' })).toThrow(/API_KEYS/);
    expect(
      production({ API_KEYS: 'real-key-0123456789abcdef', DATABASE_URL: 'postgres://svc:change-me@db:5432/orders' }),
    ).toThrow(/DATABASE_URL has a placeholder password/);
    expect(
      production({ API_KEYS: 'real-key-0123456789abcdef', RABBITMQ_URL: 'amqp://svc:CHANGEME@broker:5672' }),
    ).toThrow(/RABBITMQ_URL has a placeholder password/);
    expect(
      production({ API_KEYS: 'real-key-0123456789abcdef', DATABASE_URL: 'postgres://svc:s3cret@db/o' }),
    ).not.toThrow();
    expect(() => applyApiKeyPolicy(loadEnvironment({ NODE_ENV: 'test', API_KEYS: DEVELOPMENT_API_KEY }))).not.toThrow();
  });

  it("reads RABBITMQ_URL as one node's URL or a cluster's, comma-separated, and refuses a list with a bad entry", () => {
    const cluster = 'amqp://svc:pw@rabbit-0:5672, amqp://svc:pw@rabbit-1:5672,amqps://svc:pw@rabbit-2:5671';
    expect(loadEnvironment({ RABBITMQ_URL: cluster }).RABBITMQ_URL).toBe(cluster);
    const load = () => loadEnvironment({ RABBITMQ_URL: 'amqp://svc:first@rabbit-0,http://svc:second@rabbit-1' });
    expect(load).toThrow(/RABBITMQ_URL must be an amqp:\/\/ or amqps:\/\/ URL, or a comma-separated list of them/);
    expect(load).not.toThrow(/first|second/);
  });

  it('runs migrations through DATABASE_URL unless MIGRATION_DATABASE_URL names another database URL', () => {
    expect(loadEnvironment({}).MIGRATION_DATABASE_URL).toBe('');
    const direct = 'postgres://owner@db-primary:5432/orders';
    expect(loadEnvironment({ MIGRATION_DATABASE_URL: direct }).MIGRATION_DATABASE_URL).toBe(direct);
    expect(() => loadEnvironment({ MIGRATION_DATABASE_URL: 'db-primary:5432' })).toThrow(
      /MIGRATION_DATABASE_URL must be empty or a postgres:\/\/ URL/,
    );
  });

  it('never repeats a secret in its error, and masks the password of a URL', () => {
    const load = () =>
      loadEnvironment({ API_KEYS: 'short-secret', RABBITMQ_URL: 'http://user:hunter2@broker', INBOUND_PREFETCH: 'x' });
    expect(load).toThrow(/API_KEYS must list keys of at least 16 characters.*\(hidden\)/);
    expect(load).not.toThrow(/short-secret/);
    expect(load).toThrow(/RABBITMQ_URL must be an amqp.*user:\*\*\*@broker/);
    expect(load).not.toThrow(/hunter2/);
  });

  it('masks a database password, even one holding an "@", and a password parameter', () => {
    const load = () =>
      loadEnvironment({
        DATABASE_URL: 'mysql://admin:hunt@er2@db.internal/orders',
        RABBITMQ_URL: 'http://broker.internal/?user=svc&password=s3cret&heartbeat=10',
      });
    expect(load).toThrow(/DATABASE_URL must be a postgres.*"mysql:\/\/admin:\*\*\*@db\.internal\/orders"/);
    expect(load).toThrow(/RABBITMQ_URL .*password=\*\*\*&heartbeat=10/);
    expect(load).not.toThrow(/hunt|er2|s3cret/);
  });
});
