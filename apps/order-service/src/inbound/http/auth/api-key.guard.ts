import { type CanActivate, type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiKeys } from './api-keys.js';

const BEARER = /^Bearer\s+(.+)$/i;

/** Product B's key, as `Authorization: Bearer <key>` or `X-API-Key: <key>`; anything else is a 401 that says how. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly keys: ApiKeys) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const candidate = presentedApiKey(http.getRequest<FastifyRequest>());
    if (candidate !== null && this.keys.accepts(candidate)) return true;
    void http.getResponse<FastifyReply>().header('WWW-Authenticate', 'Bearer realm="order-service"');
    throw new UnauthorizedException(
      candidate === null
        ? 'An API key is required: send Authorization: Bearer <key> or X-API-Key: <key>.'
        : 'The API key is not valid.',
    );
  }
}

/** The key as the request presents it, checked or not. */
export function presentedApiKey(request: FastifyRequest): string | null {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header.length > 0) return header;
  const bearer = BEARER.exec(request.headers.authorization ?? '');
  return bearer ? bearer[1].trim() : null;
}
