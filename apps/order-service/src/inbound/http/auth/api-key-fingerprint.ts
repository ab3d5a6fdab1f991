import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { presentedApiKey } from './api-key.guard.js';

const FINGERPRINT_HEX_DIGITS = 12;

/** Names the key in an order's history without revealing it: the first 12 hex digits of its SHA-256. */
export function apiKeyFingerprint(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex').slice(0, FINGERPRINT_HEX_DIGITS);
}

/** The fingerprint of the key the request was let in with (behind ApiKeyGuard). */
export const ApiKeyFingerprint = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const key = presentedApiKey(context.switchToHttp().getRequest<FastifyRequest>());
  if (key === null) throw new Error('ApiKeyFingerprint used on a route without ApiKeyGuard');
  return apiKeyFingerprint(key);
});
