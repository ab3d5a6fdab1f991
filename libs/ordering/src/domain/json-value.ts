import { NumberLiteral } from './number-literal.value-object.js';

const QUOTE_LIMIT = 40;

/** A JSON value's kind as a person would name it: "a string", "an array", "null". */
export function describeJsonValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof NumberLiteral || typeof value === 'number') return 'a number';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** Cuts text short for an error message, so a huge value cannot bloat a DLQ header. */
export function abbreviate(text: string): string {
  const head = [...text.slice(0, QUOTE_LIMIT * 2)].slice(0, QUOTE_LIMIT).join('');
  return head.length < text.length ? `${head}…` : text;
}

export function quote(text: string): string {
  return JSON.stringify(abbreviate(text));
}

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Reads only the object's own members, so an inherited property can never pass for a field. */
export function member(object: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}
