import { NumberLiteral } from '@app/ordering';
import { parse } from 'lossless-json';
import type { Rejection, RejectionReason } from './rejection.js';

/** The body never became JSON: it goes to the DLQ with this reason, and nothing reads it further. */
export class UndecodableMessageError extends Error {
  constructor(
    readonly reason: RejectionReason,
    detail: string,
  ) {
    super(detail);
    this.name = new.target.name;
  }

  get rejection(): Rejection {
    return { reason: this.reason, detail: this.message };
  }
}

export class InvalidJsonError extends UndecodableMessageError {
  constructor(detail: string) {
    super('invalid-json', detail);
  }
}

/** What a message carries, as its errors name it: an order (section 1) or a payment (section 4.1). */
export interface MessageKind {
  readonly noun: 'order' | 'payment';
  readonly invalid: 'invalid-order' | 'invalid-payment';
  /** The setting that limits its size. */
  readonly sizeSetting: 'INBOUND_MAX_MESSAGE_BYTES' | 'PAYMENTS_MAX_MESSAGE_BYTES';
}

export const ORDER_MESSAGE: MessageKind = {
  noun: 'order',
  invalid: 'invalid-order',
  sizeSetting: 'INBOUND_MAX_MESSAGE_BYTES',
};
export const PAYMENT_MESSAGE: MessageKind = {
  noun: 'payment',
  invalid: 'invalid-payment',
  sizeSetting: 'PAYMENTS_MAX_MESSAGE_BYTES',
};

/** The contract names no reason for size, and the body may well be JSON: so it is an invalid order or payment. */
export class OversizedMessageError extends UndecodableMessageError {
  constructor(
    readonly size: number,
    readonly limit: number,
    kind: MessageKind = ORDER_MESSAGE,
  ) {
    super(
      kind.invalid,
      `The message body is ${size} bytes, over the limit of ${limit} bytes, and was not read; ` +
        `send a smaller ${kind.noun}, or raise ${kind.sizeSetting}.`,
    );
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Bytes to JSON without ever turning a number into a float: every JSON number arrives as the text
 * it was written in (NumberLiteral), so a price is validated and computed exactly as sent. A body
 * over `maxBytes` is refused before any byte of it is decoded.
 */
export function decodeJsonMessage(content: Uint8Array, maxBytes: number, kind = ORDER_MESSAGE): unknown {
  if (content.length > maxBytes) throw new OversizedMessageError(content.length, maxBytes, kind);
  let text: string;
  try {
    text = utf8.decode(content);
  } catch {
    throw new InvalidJsonError(
      `The message body is not valid UTF-8 text; send the ${kind.noun} as UTF-8 encoded JSON.`,
    );
  }
  try {
    return parse(text, null, (literal) => new NumberLiteral(literal));
  } catch (error) {
    const reason = error instanceof RangeError ? 'it is nested too deeply' : (error as Error).message;
    throw new InvalidJsonError(
      `The message body is not valid JSON (${reason}); send the ${kind.noun} as a JSON object.`,
    );
  }
}
