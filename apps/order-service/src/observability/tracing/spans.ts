import {
  type Attributes,
  type Context,
  context,
  createContextKey,
  INVALID_SPAN_CONTEXT,
  type Link,
  propagation,
  ROOT_CONTEXT,
  type Span,
  type SpanContext,
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

/**
 * Work of a trace this process does not sample runs with no span in its context, so that what is
 * instrumented (pg statements) skips its own work at once; the context keeps that span's context
 * instead, for the messages the work sends and its log lines.
 */
const SAMPLED_OUT = createContextKey('order-service.sampled-out-trace');

/** What work of a sampled-out trace is handed: it records nothing, as a sampled-out span would not. */
const SAMPLED_OUT_SPAN = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

const sampledOutSpanContext = (given: Context) => given.getValue(SAMPLED_OUT) as SpanContext | undefined;

/** The trace the work in `given` belongs to, sampled or not; none when nothing is traced. */
function tracedSpanContext(given: Context): SpanContext | undefined {
  const sampledOut = sampledOutSpanContext(given);
  if (sampledOut) return sampledOut;
  const spanContext = trace.getSpanContext(given);
  return spanContext && trace.isSpanContextValid(spanContext) ? spanContext : undefined;
}

/** The trace a message's headers continue, or none (the span started in it begins a new trace). */
export function contextFromHeaders(headers: Record<string, unknown> | undefined): Context {
  return headers === undefined ? ROOT_CONTEXT : propagation.extract(ROOT_CONTEXT, headers);
}

function contextFromCarrier(carrier: TraceCarrier | null): Context {
  return carrier === null ? ROOT_CONTEXT : propagation.extract(ROOT_CONTEXT, carrier);
}

/** The active (or given) context as `traceparent`/`tracestate`; null when nothing is traced. */
export function traceCarrierOf(from: Context = context.active()): TraceCarrier | null {
  const spanContext = tracedSpanContext(from);
  return spanContext ? carrierOf(spanContext) : null;
}

/**
 * W3C trace context, written here rather than by the propagator: it runs for every order, sampled
 * or not, and the propagator's injection (through a context made for it) cost more than the rest.
 */
function carrierOf({ traceId, spanId, traceFlags, traceState }: SpanContext): TraceCarrier {
  const traceparent = `00-${traceId}-${spanId}-0${(traceFlags & TraceFlags.SAMPLED).toString(16)}`;
  const tracestate = traceState?.serialize();
  return tracestate ? { traceparent, tracestate } : { traceparent };
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
 * Whether work in this context belongs to a trace this process did not sample: marked so, or under
 * a local span that records nothing (a REST request the HTTP instrumentation sampled out). A child
 * would record nothing either, so none is started.
 */
function sampledOut(parent: Context): boolean {
  if (sampledOutSpanContext(parent)) return true;
  const span = trace.getSpan(parent);
  return span !== undefined && !span.isRecording() && !span.spanContext().isRemote;
}

/**
 * The context for the work of a span the sampler did not record: no span, its context kept beside
 * (none for the API's no-op span: tracing off).
 */
function sampledOutContext(parent: Context, span: Span): Context {
  const withoutSpan = trace.getSpan(parent) === undefined ? parent : trace.deleteSpan(parent);
  const spanContext = span.spanContext();
  return trace.isSpanContextValid(spanContext) ? withoutSpan.setValue(SAMPLED_OUT, spanContext) : withoutSpan;
}

export interface SpanOptions {
  readonly kind?: SpanKind;
  /** Set only on a span that records: an unrecorded one is not worth checking them. */
  readonly attributes?: Attributes;
  readonly links?: Link[];
  /** The parent; the active context when not given. */
  readonly parent?: Context;
}

/**
 * Runs `work` in a new active span, ended when it settles; an error it throws marks the span failed.
 * Under a trace not sampled, `work` runs with no span (see SAMPLED_OUT).
 */
export function inSpan<T>(name: string, options: SpanOptions, work: (span: Span) => Promise<T>): Promise<T> {
  const { parent = context.active() } = options;
  if (sampledOut(parent)) return context.with(parent, () => work(SAMPLED_OUT_SPAN));
  const span = started(name, options, parent);
  if (!span.isRecording()) return context.with(sampledOutContext(parent, span), () => work(span));
  return context.with(trace.setSpan(parent, span), async () => {
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
  const { parent = context.active() } = options;
  return sampledOut(parent) ? SAMPLED_OUT_SPAN : started(name, options, parent);
}

function started(name: string, { kind, links, attributes }: SpanOptions, parent: Context): Span {
  const span = tracer.startSpan(name, { kind, links }, parent);
  if (attributes && span.isRecording()) span.setAttributes(attributes);
  return span;
}

/**
 * The span of a message sent for work done earlier, whose trace `carrier` kept, and the headers
 * that name it; a trace not sampled goes on as it was carried, without a span.
 */
export function producerSpan(
  name: string,
  carrier: TraceCarrier | null,
  attributes: Attributes,
): { span: Span; headers: TraceCarrier | null } {
  // Read back from a table: anything but a well-formed traceparent counts as no trace at all.
  const stored = isCarrier(carrier) ? carrier : null;
  if (stored !== null && !isSampled(stored)) return { span: SAMPLED_OUT_SPAN, headers: stored };
  const span = startSpan(name, { kind: SpanKind.PRODUCER, parent: contextFromCarrier(stored), attributes });
  return { span, headers: span.isRecording() ? carrierOf(span.spanContext()) : stored };
}

/** W3C `traceparent`: version, trace id, parent span id and flags, in lower-case hex. */
const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

function isCarrier(value: unknown): value is TraceCarrier {
  const traceparent = typeof value === 'object' && value !== null && 'traceparent' in value ? value.traceparent : null;
  return typeof traceparent === 'string' && TRACEPARENT.test(traceparent);
}

function isSampled({ traceparent }: TraceCarrier): boolean {
  return (Number.parseInt(traceparent.slice(-2), 16) & TraceFlags.SAMPLED) !== 0;
}

/** Runs `work` with `span` active; a span that records nothing is never made active (see SAMPLED_OUT). */
export function withSpan<T>(span: Span, work: () => T, parent: Context = context.active()): T {
  return context.with(span.isRecording() ? trace.setSpan(parent, span) : parent, work);
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
  const spanContext = tracedSpanContext(context.active());
  return spanContext ? { trace_id: spanContext.traceId, span_id: spanContext.spanId } : {};
}
