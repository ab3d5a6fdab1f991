import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

/*
 * The examples' traces: product A's publish and product B's receipt, so that the service's spans sit
 * between them in one trace. Only the OpenTelemetry API is used here; without a started SDK each
 * call is a no-op and no header is added.
 */
const tracer = trace.getTracer('order-service examples');

export interface ExampleTracing {
  shutdown(): Promise<void>;
}

/**
 * Starts the SDK (configured by the standard OTEL_* variables) when an exporter or an endpoint is
 * named, as the service does; otherwise nothing is loaded.
 */
export async function startExampleTracing(serviceName: string): Promise<ExampleTracing> {
  const exporter = process.env.OTEL_TRACES_EXPORTER?.trim() ?? '';
  const requested = exporter !== '' ? exporter !== 'none' : Boolean(process.env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim());
  if (!requested) return { shutdown: () => Promise.resolve() };
  const { NodeSDK } = await import('@opentelemetry/sdk-node');
  const sdk = new NodeSDK({
    serviceName: process.env.OTEL_SERVICE_NAME || serviceName,
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}

/** `main` with the SDK started before it and its last spans exported after it. */
export function withExampleTracing(serviceName: string, main: () => Promise<number>): () => Promise<number> {
  return async () => {
    const tracing = await startExampleTracing(serviceName);
    try {
      return await main();
    } finally {
      await tracing.shutdown();
    }
  };
}

/** A publish's span, until the broker confirms it, and the `traceparent` header that names it. */
export interface TracedPublish {
  readonly headers?: Record<string, string>;
  settled(error: unknown): void;
}

export function tracedPublish(exchange: string, routingKey: string, messageId: string): TracedPublish {
  const span = tracer.startSpan(`publish ${exchange}`, {
    kind: SpanKind.PRODUCER,
    attributes: {
      'messaging.system': 'rabbitmq',
      'messaging.operation.type': 'send',
      'messaging.destination.name': exchange,
      'messaging.rabbitmq.destination.routing_key': routingKey,
      'messaging.message.id': messageId,
    },
  });
  const headers: Record<string, string> = {};
  propagation.inject(trace.setSpan(context.active(), span), headers);
  return {
    headers: Object.keys(headers).length > 0 ? headers : undefined,
    settled: (error) => {
      if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: 'refused by the broker' });
      span.end();
    },
  };
}

/** Handles a delivery in a span that continues the trace its headers carry. */
export function tracedReceipt<T>(queue: string, headers: Record<string, unknown> | undefined, work: () => Promise<T>) {
  const parent = propagation.extract(ROOT_CONTEXT, headers ?? {});
  const attributes = { 'messaging.system': 'rabbitmq', 'messaging.operation.type': 'process' };
  return tracer.startActiveSpan(`process ${queue}`, { kind: SpanKind.CONSUMER, attributes }, parent, (span) =>
    work().finally(() => span.end()),
  );
}
