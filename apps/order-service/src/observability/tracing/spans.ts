import {
  type Attributes,
  type Context,
  context,
  type Link,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
} from '@opentelemetry/api';

/**
 * The service's spans, through the OpenTelemetry API only: with no SDK registered (tracing off)
 * every call here is the API's no-op, so the adapters carry the same code either way.
 */
const tracer = trace.getTracer('order-service');

/** W3C trace context as message headers or an outbox column carry it. */
export interface TraceCarrier {
  traceparent: string;
  tracestate?: string;
}

export { type Context, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode };

export const activeContext = (): Context => context.active();

/** The span a context holds: the HTTP instrumentation's server span, for a request. */
export const spanIn = (given: Context): Span | undefined => trace.getSpan(given);

/** The trace a message's headers continue, or none (the span started in it begins a new trace). */
export function contextFromHeaders(headers: Record<string, unknown> | undefined): Context {
  return headers === undefined ? ROOT_CONTEXT : propagation.extract(ROOT_CONTEXT, headers);
}

export function contextFromCarrier(carrier: TraceCarrier | null): Context {
  return carrier === null ? ROOT_CONTEXT : propagation.extract(ROOT_CONTEXT, carrier);
}

/** The active (or given) context as `traceparent`/`tracestate`; null when nothing is traced. */
export function traceCarrierOf(from: Context = context.active()): TraceCarrier | null {
  const carrier: Partial<TraceCarrier> = {};
  propagation.inject(from, carrier);
  return carrier.traceparent === undefined ? null : (carrier as TraceCarrier);
}

/** Links to the sampled spans of the contexts given: several traces that share one piece of work. */
export function linksTo(contexts: readonly Context[]): Link[] {
  return contexts.flatMap((each) => {
    const spanContext = trace.getSpanContext(each);
    const sampled = spanContext !== undefined && (spanContext.traceFlags & TraceFlags.SAMPLED) !== 0;
    return sampled && trace.isSpanContextValid(spanContext) ? [{ context: spanContext }] : [];
  });
}

/**
 * The span of a trace this process decided not to sample: a child of it would record nothing
 * either, so none is started (the sampler, ids and a context switch saved per piece of work);
 * the work runs in the parent's trace, and what it propagates says "not sampled" just the same.
 */
function unsampledLocalParent(parent: Context): Span | undefined {
  const span = trace.getSpan(parent);
  return span !== undefined && !span.isRecording() && !span.spanContext().isRemote ? span : undefined;
}

export interface SpanOptions {
  readonly kind?: SpanKind;
  readonly attributes?: Attributes;
  readonly links?: Link[];
  /** The parent; the active context when not given. */
  readonly parent?: Context;
}

/** Runs `work` in a new active span, ended when it settles; an error it throws marks the span failed. */
export function inSpan<T>(name: string, options: SpanOptions, work: (span: Span) => Promise<T>): Promise<T> {
  const { parent = context.active(), ...spanOptions } = options;
  const unsampled = unsampledLocalParent(parent);
  if (unsampled) return context.with(parent, () => work(unsampled));
  return tracer.startActiveSpan(name, spanOptions, parent, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      failed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** A span the caller ends itself, not made active: for work that settles in a callback. */
export function startSpan(name: string, options: SpanOptions): Span {
  const { parent = context.active(), ...spanOptions } = options;
  const unsampled = unsampledLocalParent(parent);
  if (unsampled) return trace.wrapSpanContext(unsampled.spanContext());
  return tracer.startSpan(name, spanOptions, parent);
}

export function withSpan<T>(span: Span, work: () => T, parent: Context = context.active()): T {
  return context.with(trace.setSpan(parent, span), work);
}

export function withContext<T>(given: Context, work: () => T): T {
  return context.with(given, work);
}

export function failed(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

/** What the log lines written in a traced piece of work carry, next to the correlation id. */
export function traceLogFields(): { trace_id?: string; span_id?: string } {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !trace.isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}
