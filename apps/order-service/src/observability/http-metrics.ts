import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OrderServiceMetrics } from './order-service.metrics.js';

/** The route label of a request no route matched (a scanner's paths must not become label values). */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Times every HTTP request from arrival to reply, labelled by the route template Fastify matched
 * (`/orders/:orderId`, never the raw path), so rate, errors and duration come from one histogram.
 */
export function recordHttpMetrics(app: NestFastifyApplication, metrics: OrderServiceMetrics): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onResponse', (request, reply, done) => {
      metrics.httpRequestDuration.observe(
        {
          method: request.method,
          route: request.routeOptions.url ?? UNMATCHED_ROUTE,
          status_code: String(reply.statusCode),
        },
        reply.elapsedTime / 1000,
      );
      done();
    });
}
