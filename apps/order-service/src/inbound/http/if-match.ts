import { badParameters } from './request-validation.pipe.js';

/** `"3"`: the ETag of an order at version 3. */
export function entityTagOf(version: number): string {
  return `"${version}"`;
}

const ENTITY_TAG = /^\s*"(\d{1,9})"\s*$/;

/** The version the caller requires (If-Match), or null when it requires none (absent, or `*`); anything else is a 400. */
export function requiredVersion(header: string | undefined): number | null {
  if (header === undefined || header.trim() === '*') return null;
  const tag = ENTITY_TAG.exec(header);
  if (!tag) {
    throw badParameters([
      { parameter: 'If-Match', messages: ['If-Match must be one ETag of this API, such as "3", or *'] },
    ]);
  }
  return Number(tag[1]);
}
