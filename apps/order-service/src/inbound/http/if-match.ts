import type { RenderedOrderView } from '@app/ordering';
import type { FastifyReply } from 'fastify';
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

/** An order's answer: its stored document as it is, and its version as the ETag. */
export function answerOrder(reply: FastifyReply, order: RenderedOrderView): string {
  void reply.header('content-type', 'application/json; charset=utf-8').header('ETag', entityTagOf(order.version));
  return order.json;
}
