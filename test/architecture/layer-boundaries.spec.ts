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

describe('layer boundaries (ESLint no-restricted-imports)', () => {
  // The first type-aware lint builds the TypeScript program: seconds on a busy machine.
  beforeAll(() => eslint.lintText('export {};\n', { filePath: DOMAIN_FILE }), 60_000);

  it.each(['@nestjs/common', '@nestjs/cqrs', 'typeorm', 'pg', 'amqplib', 'lossless-json', 'class-validator'])(
    'stops the domain importing %s',
    async (module) => {
      const errors = await boundaryErrors(DOMAIN_FILE, `import '${module}';\nexport const x = 1;\n`);
      expect(errors).toHaveLength(1);
    },
  );

  it('stops the domain importing the application layer', async () => {
    const errors = await boundaryErrors(DOMAIN_FILE, `import '../application/ports/clock.js';\nexport const x = 1;\n`);
    expect(errors).toHaveLength(1);
  });

  it.each(['typeorm', 'pg', 'amqplib', '@nestjs/microservices'])(
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
});
