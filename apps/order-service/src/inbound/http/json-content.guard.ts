import { type CanActivate, type ExecutionContext, Injectable, UnsupportedMediaTypeException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** A change's body is JSON, said so by its content-type (parameters such as charset aside): else 415. */
@Injectable()
export class JsonContentGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const contentType = context.switchToHttp().getRequest<FastifyRequest>().headers['content-type'] ?? '';
    const mediaType = contentType.split(';')[0].trim().toLowerCase();
    if (mediaType === 'application/json') return true;
    throw new UnsupportedMediaTypeException(
      `The body must be JSON sent as content-type: application/json, not ${JSON.stringify(contentType || '(none)')}.`,
    );
  }
}
