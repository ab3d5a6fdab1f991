// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Drivers, transports and frameworks: only the adapters in apps/ may touch them. */
const infrastructure = [
  '@nestjs/*',
  'typeorm',
  'typeorm/*',
  'pg',
  'pg-*',
  'amqplib',
  'amqp-connection-manager',
  'lossless-json',
  'class-validator',
  'class-transformer',
  'rxjs',
  '@opentelemetry/*',
];
/** The application layer may use Nest's DI and CQRS decorators, nothing else of the outside. */
const applicationForbidden = [...infrastructure, '!@nestjs/common', '!@nestjs/cqrs'];
const sqlDrivers = ['typeorm', 'typeorm/*', 'pg', 'pg-*'];
const amqpDrivers = ['amqplib', 'amqp-connection-manager'];
const throughLibraryAlias = {
  group: ['**/libs/ordering/src/**'],
  message: "Import the library through '@app/ordering'.",
};
const outboundPatterns = [
  throughLibraryAlias,
  { group: ['**/inbound/**'], message: 'Outbound adapters do not know the inbound ones; share through messaging/.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bench-results/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/explicit-module-boundary-types': 'off',
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['libs/ordering/src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: infrastructure, message: 'The domain knows no framework, database or transport.' },
            { group: ['**/application/**', '**/apps/**'], message: 'The domain depends on nothing outside it.' },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/ordering/src/application/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: applicationForbidden,
              message: 'Application code talks to ports; only adapters in apps/ touch drivers.',
            },
            { group: ['**/apps/**'], message: 'The application layer does not know the adapters.' },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/**/*.ts', 'test/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [throughLibraryAlias] }] },
  },
  {
    files: ['apps/order-service/src/inbound/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            throughLibraryAlias,
            { group: ['**/outbound/**'], message: 'Inbound adapters reach outbound ones through a port (messaging/).' },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/order-service/src/outbound/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: outboundPatterns }] },
  },
  {
    files: ['apps/order-service/src/outbound/outbox/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...outboundPatterns,
            {
              group: [...sqlDrivers, ...amqpDrivers, '**/amqp-publisher.js', '**/data-source.js'],
              message: 'The relay talks to PostgresOutboxStore and AmqpOrderCalculatedPublisher, never to a driver.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/order-service/src/outbound/outbox/postgres/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...outboundPatterns,
            { group: [...amqpDrivers, '**/amqp/**'], message: "The outbox's SQL knows nothing of AMQP." },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/order-service/src/outbound/outbox/amqp/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...outboundPatterns,
            { group: [...sqlDrivers, '**/postgres/**'], message: "The outbox's AMQP side knows nothing of SQL." },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/order-service/src/messaging/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            throughLibraryAlias,
            {
              group: ['**/inbound/**', '**/outbound/**'],
              message: 'The shared messaging vocabulary knows no adapter.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'no-console': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
      // Vitest's asymmetric matchers (expect.any, expect.stringMatching) are typed `any`.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  { files: ['**/*.mjs', '**/*.js'], ...tseslint.configs.disableTypeChecked },
);
