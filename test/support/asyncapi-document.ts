import { readFileSync } from 'node:fs';
import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

export const ASYNCAPI_PATH = new URL('../../docs/asyncapi.yaml', import.meta.url);

interface AmqpExchange {
  readonly name: string;
  readonly type: string;
  readonly durable: boolean;
}

interface AmqpQueue {
  readonly name: string;
  readonly durable: boolean;
}

export interface DocumentedChannel {
  readonly id: string;
  readonly address: string;
  readonly bindings?: {
    readonly amqp?: {
      readonly is: 'routingKey' | 'queue';
      readonly exchange?: AmqpExchange;
      readonly queue?: AmqpQueue;
    };
  };
  readonly 'x-bound-to'?: readonly { readonly exchange: string; readonly routingKey: string }[];
}

export interface AsyncApiContract {
  /** The parser's complaints of error severity; empty for a valid document. */
  readonly errors: readonly string[];
  readonly channels: readonly DocumentedChannel[];
  /** The payload schema of a message in components.messages, compiled. */
  readonly payloadValidator: (message: string) => ValidateFunction;
  /** The names of components.messages, each with the payloads of its examples. */
  readonly messageExamples: () => ReadonlyMap<string, readonly unknown[]>;
}

/** docs/asyncapi.yaml, parsed and validated by @asyncapi/parser, with its $refs resolved. */
export async function loadAsyncApi(): Promise<AsyncApiContract> {
  const { document, diagnostics } = await new Parser().parse(readFileSync(ASYNCAPI_PATH, 'utf8'));
  const errors = diagnostics
    .filter((diagnostic) => Number(diagnostic.severity) === Number(DiagnosticSeverity.Error))
    .map((diagnostic) => `${diagnostic.path.join('.')}: ${diagnostic.message}`);
  if (!document) throw new Error(`docs/asyncapi.yaml does not parse:\n${errors.join('\n')}`);
  const json = document.json<{
    channels: Record<string, Omit<DocumentedChannel, 'id'>>;
    components: { messages: Record<string, { payload: object; examples?: { payload?: unknown }[] }> };
  }>();
  // The parser marks schemas with x-parser-* keys, which a strict validator would refuse.
  // multipleOfPrecision: a price is checked on the double a JSON parser gives, not on its digits.
  const ajv = new Ajv({ strict: false, allErrors: true, multipleOfPrecision: 2 });
  addFormats.default(ajv);
  return {
    errors,
    channels: Object.entries(json.channels).map(([id, channel]) => ({ id, ...channel })),
    payloadValidator: (message) => {
      const documented = json.components.messages[message];
      if (!documented) throw new Error(`docs/asyncapi.yaml has no message ${message}`);
      return ajv.compile(documented.payload);
    },
    messageExamples: () =>
      new Map(
        Object.entries(json.components.messages).map(([name, { examples = [] }]) => [
          name,
          examples.flatMap((example) => ('payload' in example ? [example.payload] : [])),
        ]),
      ),
  };
}
