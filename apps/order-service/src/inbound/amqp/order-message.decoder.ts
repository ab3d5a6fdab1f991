import { NumberLiteral } from '@app/ordering';
import { parse } from 'lossless-json';

export class InvalidJsonError extends Error {
  readonly code = 'invalid-json';

  constructor(detail: string) {
    super(detail);
    this.name = 'InvalidJsonError';
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Bytes to JSON without ever turning a number into a float: every JSON number arrives as the text
 * it was written in (NumberLiteral), so a price is validated and computed exactly as sent.
 */
export function decodeOrderMessage(content: Buffer): unknown {
  let text: string;
  try {
    text = utf8.decode(content);
  } catch {
    throw new InvalidJsonError('The message body is not valid UTF-8 text; send the order as UTF-8 encoded JSON.');
  }
  try {
    return parse(text, null, (literal) => new NumberLiteral(literal));
  } catch (error) {
    const reason = error instanceof RangeError ? 'it is nested too deeply' : (error as Error).message;
    throw new InvalidJsonError(`The message body is not valid JSON (${reason}); send the order as a JSON object.`);
  }
}
