import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const eslint = new ESLint();

const boundaryErrors = async (filePath: string, code: string) => {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((message) => message.ruleId === 'no-restricted-imports');
};

// Real files of each layer, linted with a forbidden import added: proves the rule cannot rot silently.
const DOMAIN_FILE = 'libs/ordering/src/domain/order-status.ts';
const APPLICATION_FILE = 'libs/ordering/src/application/ports/clock.ts';
const INBOUND_FILE = 'apps/order-service/src/inbound/amqp/inbound-delivery.ts';
const OUTBOUND_FILE = 'apps/order-service/src/outbound/amqp/amqp-publisher.ts';
const MESSAGING_FILE = 'apps/order-service/src/messaging/rejection.ts';
const RELAY_FILE = 'apps/order-service/src/outbound/outbox/outbox.relay.ts';
const OUTBOX_SQL_FILE = 'apps/order-service/src/outbound/outbox/postgres/postgres-outbox.store.ts';
const OUTBOX_AMQP_FILE = 'apps/order-service/src/outbound/outbox/amqp/amqp-order-events.publisher.ts';

describe('layer boundaries (ESLint no-restricted-imports)', () => {
  // The first type-aware lint builds the TypeScript program: seconds on a busy machine.
  beforeAll(() => eslint.lintText('export {};\n', { filePath: DOMAIN_FILE }), 60_000);

  it.each([
    '@nestjs/common',
    '@nestjs/cqrs',
    'typeorm',
    'pg',
    'amqplib',
    'lossless-json',
    'class-validator',
    '@opentelemetry/api',
  ])('stops the domain importing %s', async (module) => {
    const errors = await boundaryErrors(DOMAIN_FILE, `import '${module}';\nexport const x = 1;\n`);
    expect(errors).toHaveLength(1);
  });

  it('stops the domain importing the application layer', async () => {
    const errors = await boundaryErrors(DOMAIN_FILE, `import '../application/ports/clock.js';\nexport const x = 1;\n`);
    expect(errors).toHaveLength(1);
  });

  it.each(['typeorm', 'pg', 'amqplib', '@nestjs/microservices', '@opentelemetry/api'])(
    'stops the application layer importing %s',
    async (module) => {
      const errors = await boundaryErrors(APPLICATION_FILE, `import '${module}';\nexport const x = 1;\n`);
      expect(errors).toHaveLength(1);
    },
  );

  it('lets the application layer use Nest DI and CQRS', async () => {
    const code = `import '@nestjs/common';\nimport '@nestjs/cqrs';\nexport const x = 1;\n`;
    expect(await boundaryErrors(APPLICATION_FILE, code)).toHaveLength(0);
  });

  it.each([
    ['an inbound adapter', '../../outbound/amqp/amqp-publisher.js', INBOUND_FILE],
    ['an outbound adapter', '../../inbound/amqp/inbound-delivery.js', OUTBOUND_FILE],
    ['the messaging module', '../inbound/amqp/inbound-delivery.js', MESSAGING_FILE],
    ['the messaging module', '../outbound/amqp/amqp-publisher.js', MESSAGING_FILE],
  ])('stops %s importing %s', async (_, path, file) => {
    const errors = await boundaryErrors(file, `import '${path}';\nexport const x = 1;\n`);
    expect(errors).toHaveLength(1);
  });

  it('lets both adapter sides share the messaging module', async () => {
    expect(
      await boundaryErrors(INBOUND_FILE, `import '../../messaging/rejection.js';\nexport const x = 1;\n`),
    ).toHaveLength(0);
    expect(
      await boundaryErrors(OUTBOUND_FILE, `import '../../messaging/rejection.js';\nexport const x = 1;\n`),
    ).toHaveLength(0);
  });

  it.each([INBOUND_FILE, OUTBOUND_FILE, MESSAGING_FILE])(
    'keeps %s importing the core through its alias',
    async (file) => {
      const errors = await boundaryErrors(
        file,
        `import '../../../../libs/ordering/src/index.js';\nexport const x = 1;\n`,
      );
      expect(errors).toHaveLength(1);
    },
  );

  it.each([
    ['the outbox relay', 'typeorm', RELAY_FILE],
    ['the outbox relay', 'amqplib', RELAY_FILE],
    ['the outbox relay', '../postgres/data-source.js', RELAY_FILE],
    ['the outbox relay', '../amqp/amqp-publisher.js', RELAY_FILE],
    ["the outbox's SQL", 'amqplib', OUTBOX_SQL_FILE],
    ["the outbox's SQL", '../amqp/amqp-order-events.publisher.js', OUTBOX_SQL_FILE],
    ["the outbox's AMQP side", 'typeorm', OUTBOX_AMQP_FILE],
    ["the outbox's AMQP side", '../postgres/postgres-outbox.store.js', OUTBOX_AMQP_FILE],
  ])('stops %s importing %s', async (_, path, file) => {
    const errors = await boundaryErrors(file, `import '${path}';\nexport const x = 1;\n`);
    expect(errors).toHaveLength(1);
  });

  it('still stops the outbox importing inbound adapters', async () => {
    const errors = await boundaryErrors(
      RELAY_FILE,
      `import '../../inbound/amqp/inbound-delivery.js';\nexport const x = 1;\n`,
    );
    expect(errors).toHaveLength(1);
  });
});
