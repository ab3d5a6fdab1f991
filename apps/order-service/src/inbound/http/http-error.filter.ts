import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import {
  ConcurrentModificationError,
  DependencyUnavailableError,
  InvalidTransitionError,
  OrderNotFoundError,
  OrderVersionMismatchError,
} from '@app/ordering';
import type { FastifyReply } from 'fastify';
import { errorMessage } from '../../observability/error-message.js';

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  [extra: string]: unknown;
}

const RETRY_AFTER_SECONDS = '5';

/**
 * The one place where errors become HTTP answers. Every body says what was wrong; an unexpected
 * error is logged in full and answered without its details (they may hold internals).
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const body = this.toBody(error);
    if (body.statusCode === 503) void reply.header('Retry-After', RETRY_AFTER_SECONDS);
    void reply.status(body.statusCode).send(body);
  }

  private toBody(error: unknown): ErrorBody {
    if (error instanceof HttpException) return fromHttpException(error);
    if (error instanceof OrderNotFoundError) {
      return { statusCode: 404, error: 'Not Found', message: error.message };
    }
    if (error instanceof InvalidTransitionError) {
      return { statusCode: 409, error: 'Conflict', message: error.message, status: error.status };
    }
    if (error instanceof ConcurrentModificationError) {
      return { statusCode: 409, error: 'Conflict', message: `${error.message} Read it again and retry.` };
    }
    if (error instanceof OrderVersionMismatchError) {
      return { statusCode: 412, error: 'Precondition Failed', message: error.message, version: error.currentVersion };
    }
    if (error instanceof DependencyUnavailableError) {
      this.logger.warn({ message: 'Request failed: dependency unavailable', error: error.message });
      return {
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'The order store is unavailable; retry shortly.',
      };
    }
    this.logger.error({
      message: 'Unexpected error answering a request',
      error: errorMessage(error),
      stack: error instanceof Error ? error.stack : undefined,
    });
    return { statusCode: 500, error: 'Internal Server Error', message: 'An unexpected error occurred.' };
  }
}

/** Nest's own exceptions keep their status; a bare string message gets the common shape (every port). */
export function fromHttpException(exception: HttpException): ErrorBody {
  const statusCode = exception.getStatus();
  const response = exception.getResponse();
  const error = HttpStatus[statusCode]
    ?.toString()
    .split('_')
    .map((word) => word.charAt(0) + word.slice(1).toLowerCase())
    .join(' ');
  if (typeof response === 'string') return { statusCode, error: error ?? 'Error', message: response };
  const fields = response as Partial<ErrorBody>;
  const message = Array.isArray(fields.message) ? fields.message.join('; ') : fields.message;
  return { ...fields, statusCode, error: fields.error ?? error ?? 'Error', message: message ?? exception.message };
}
