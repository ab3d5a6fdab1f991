import { type CallHandler, type ExecutionContext, HttpException, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Observable } from 'rxjs';
import { activeContext, failed, spanIn, startSpan, withSpan } from '../../observability/tracing/spans.js';

/**
 * A span per REST handler (`OrdersHttpController.getOrder`), inside the HTTP instrumentation's
 * server span, which it names after the route template (`GET /orders/:orderId`, never the raw
 * path). Installed only when tracing is on.
 */
export class HandlerSpans implements NestInterceptor {
  intercept(execution: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = execution.switchToHttp().getRequest<FastifyRequest>();
    const route = request.routeOptions.url;
    const parent = activeContext();
    const server = spanIn(parent);
    if (route !== undefined && server) {
      server.setAttribute('http.route', route);
      server.updateName(`${request.method} ${route}`);
    }
    const span = startSpan(`${execution.getClass().name}.${execution.getHandler().name}`, { parent });
    // The handler runs when the observable is subscribed: subscribing inside the span makes it active there.
    return new Observable((subscriber) =>
      withSpan(span, () =>
        next.handle().subscribe({
          next: (value) => subscriber.next(value),
          error: (error: unknown) => {
            // A refused request (4xx) is the client's mistake, not the handler's failure.
            if (!(error instanceof HttpException) || error.getStatus() >= 500) failed(span, error);
            span.end();
            subscriber.error(error);
          },
          complete: () => {
            span.end();
            subscriber.complete();
          },
        }),
      ),
    );
  }
}
