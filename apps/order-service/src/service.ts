import 'reflect-metadata';
import { Logger, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { prepareBroker, prepareDatabase } from './bootstrap.js';
import { applyApiKeyPolicy, DEVELOPMENT_API_KEY, loadEnvironment } from './config/environment.js';
import { inboundPrefetchOf } from './config/inbound-prefetch.js';
import { ManagementServer } from './health/management.server.js';
import { AmqpInboundServer, ORDER_PLACED_PATTERN, PAYMENT_PATTERN } from './inbound/amqp/amqp-inbound.server.js';
import { ControlCharacterPipe } from './inbound/http/control-character.pipe.js';
import { HttpErrorFilter } from './inbound/http/http-error.filter.js';
import { HTTP_BODY_LIMIT_BYTES, hardenHttp, httpTimeoutsOf, serverTimeouts } from './inbound/http/http-hardening.js';
import { setUpOpenApi } from './inbound/http/open-api.js';
import { recordHttpMetrics } from './observability/http-metrics.js';
import { OrderServiceMetrics } from './observability/order-service.metrics.js';
import { PinoLogger } from './observability/pino.logger.js';
import { traceLogFields } from './observability/tracing/spans.js';
import type { Tracing } from './observability/tracing/tracing.sdk.js';
import { HandlerSpans } from './inbound/http/handler-spans.interceptor.js';

/** Starts the service; `tracing` is the SDK when main.ts loaded it (OTEL_* variables), else null. */
export async function serve(tracing: Tracing | null): Promise<void> {
  await start(tracing).catch((error: unknown) => {
    // eslint-disable-next-line no-console -- the logger may not exist yet (bad configuration)
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}

async function start(tracing: Tracing | null): Promise<void> {
  const environment = loadEnvironment();
  const logger = new PinoLogger(environment.LOG_LEVEL as LogLevel, environment.SERVICE_NAME, {
    fields: tracing ? traceLogFields : undefined,
  });
  Logger.overrideLogger(logger);
  if (applyApiKeyPolicy(environment) === 'development') {
    logger.warn(
      `NODE_ENV=development and no API_KEYS: the REST API accepts the development key "${DEVELOPMENT_API_KEY}"; ` +
        'never run a shared or production service like this',
      'Bootstrap',
    );
  }
  const prefetch = inboundPrefetchOf(environment);
  prefetch.lowered.forEach((sentence) => logger.warn(sentence, 'Bootstrap'));
  const dataSource = await prepareDatabase(environment);
  await prepareBroker(environment);
  const inbound = new AmqpInboundServer({
    url: environment.RABBITMQ_URL,
    connectionName: `${environment.SERVICE_NAME} consumer`,
    subscriptions: [
      { queue: environment.INBOUND_QUEUE, pattern: ORDER_PLACED_PATTERN, prefetch: prefetch.orders },
      { queue: environment.PAYMENTS_QUEUE, pattern: PAYMENT_PATTERN, prefetch: prefetch.payments },
    ],
    reconnectBaseDelayMs: environment.RETRY_BASE_DELAY_MS,
    reconnectMaxDelayMs: Math.min(environment.RETRY_MAX_DELAY_MS, 5_000),
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(environment, dataSource, inbound, tracing),
    new FastifyAdapter({
      bodyLimit: HTTP_BODY_LIMIT_BYTES,
      ...serverTimeouts(httpTimeoutsOf(environment)),
    }),
    { logger },
  );
  await hardenHttp(app, { rateLimitPerMinute: environment.HTTP_RATE_LIMIT_PER_MINUTE });
  recordHttpMetrics(app, app.get(OrderServiceMetrics));
  app.useGlobalFilters(new HttpErrorFilter());
  app.useGlobalPipes(new ControlCharacterPipe());
  if (tracing) app.useGlobalInterceptors(new HandlerSpans());
  setUpOpenApi(app);
  app.connectMicroservice({ strategy: inbound });
  app.enableShutdownHooks();
  // Lifecycle hooks first: the CQRS handlers register in onApplicationBootstrap, and a backlog
  // waiting in the queue arrives the moment the consumer attaches.
  await app.init();
  await app.startAllMicroservices();
  await app.listen(environment.HTTP_PORT, '0.0.0.0');
  const managementPort = await app.get(ManagementServer).listen();
  // The bound ports, not the configured ones: 0 asks the system for a free port.
  const { port } = app.getHttpServer().address() as AddressInfo;
  logger.log(
    `order-service consuming ${environment.INBOUND_QUEUE} and ${environment.PAYMENTS_QUEUE}, ` +
      `HTTP on port ${port}, management on port ${managementPort}`,
    'Bootstrap',
  );
}
