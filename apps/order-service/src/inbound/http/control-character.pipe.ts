import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { badParameters } from './request-validation.pipe.js';

const CONTROL_CHARACTER = /\p{Cc}/u;

/**
 * Refuses every query and path parameter, and every field of a JSON body (name or value), that
 * holds a control character, NUL included, before any other check: Postgres cannot store NUL and
 * no parameter of the API means one.
 */
@Injectable()
export class ControlCharacterPipe implements PipeTransform<unknown, unknown> {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if ((metadata.type === 'query' || metadata.type === 'body') && metadata.data === undefined && isRecord(value)) {
      const problems = Object.entries(value).filter(
        ([name, given]) => hasControlCharacter(name) || hasControlCharacter(given),
      );
      if (problems.length > 0) throw refused(problems.map(([name]) => name));
    } else if ((metadata.type === 'query' || metadata.type === 'param') && hasControlCharacter(value)) {
      throw refused([metadata.data ?? '(parameter)']);
    }
    return value;
  }
}

function hasControlCharacter(value: unknown): boolean {
  if (typeof value === 'string') return CONTROL_CHARACTER.test(value);
  return Array.isArray(value) && value.some(hasControlCharacter);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function refused(names: string[]) {
  return badParameters(
    names.map((name) => {
      const parameter = JSON.stringify(name).slice(1, -1);
      return {
        parameter,
        messages: [`${parameter} must not contain control characters (U+0000-U+001F, U+007F-U+009F)`],
      };
    }),
  );
}
