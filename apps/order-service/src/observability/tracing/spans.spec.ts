import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { context, type Context, propagation, type SpanContext, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  InMemorySpanExporter,
  ParentBasedSampler,
  SamplingDecision,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  contextFromHeaders,
  inSpan,
  linksTo,
  producerSpan,
  startSpan,
  traceCarrierOf,
  traceLogFields,
  type TraceCarrier,
  withSpan,
} from './spans.js';

const TRACE = '0af7651916cd43dd8448eb211c80319c';

/** Roots named "sampled" are sampled, every other root is not; children follow their parent. */
const exporter = new InMemorySpanExporter();
const sampler = new ParentBasedSampler({
  root: {
    shouldSample: (_context, _traceId, name) => ({
      decision: name === 'sampled' ? SamplingDecision.RECORD_AND_SAMPLED : SamplingDecision.NOT_RECORD,
    }),
    toString: () => 'by name',
  },
});

const exported = () => exporter.getFinishedSpans().map(({ name }) => name);

describe('the service’s spans under a sampler', () => {
  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(
      new TracerProvider({ sampler, spanProcessors: [new SimpleSpanProcessor({ exporter })] }),
    );
  });

  afterEach(() => exporter.reset());

  it('records the children of a sampled span, each under its parent', async () => {
    await inSpan('sampled', {}, async (root) => {
      await inSpan('decode', {}, () => Promise.resolve());
      startSpan('commit', {}).end();
      expect(root.isRecording()).toBe(true);
    });
    expect(exported()).toEqual(['decode', 'commit', 'sampled']);
  });

  it('runs the work of a trace it did not sample with no span, and propagates that trace as not sampled', async () => {
    let carried: ReturnType<typeof traceCarrierOf> = null;
    let logged: ReturnType<typeof traceLogFields> = {};
    let root: SpanContext | undefined;
    await inSpan('not sampled', {}, async (span) => {
      root = span.spanContext();
      // Nothing for an instrumentation (pg) to hang a child on.
      expect(trace.getActiveSpan()).toBeUndefined();
      await inSpan('decode', {}, (child) => {
        expect(child.isRecording()).toBe(false);
        carried = traceCarrierOf();
        logged = traceLogFields();
        return Promise.resolve();
      });
      const commit = startSpan('commit', {});
      expect(commit.isRecording()).toBe(false);
      withSpan(commit, () => expect(trace.getActiveSpan()).toBeUndefined());
    });
    expect(exported()).toEqual([]);
    expect(carried).toEqual({ traceparent: `00-${root?.traceId}-${root?.spanId}-00` });
    expect(logged).toEqual({ trace_id: root?.traceId, span_id: root?.spanId });
  });

  it('carries a sender’s trace it does not sample on, with its tracestate, in the headers it writes', async () => {
    const remote = contextFromHeaders({
      traceparent: `00-${TRACE}-b7ad6b7169203331-00`,
      tracestate: 'vendor=value',
    });
    let carried: ReturnType<typeof traceCarrierOf> = null;
    let delivery: SpanContext | undefined;
    await inSpan('process order.placed', { parent: remote }, (span) => {
      delivery = span.spanContext();
      carried = traceCarrierOf();
      return Promise.resolve();
    });
    expect(delivery?.spanId).not.toBe('b7ad6b7169203331');
    expect(carried).toEqual({ traceparent: `00-${TRACE}-${delivery?.spanId}-00`, tracestate: 'vendor=value' });
    expect(exported()).toEqual([]);
  });

  it('publishes a message of a sampled trace in a span its headers name', () => {
    const sent = producerSpan('publish OrderCalculated', { traceparent: `00-${TRACE}-b7ad6b7169203331-01` }, {});
    sent.span.end();
    const [span] = exporter.getFinishedSpans();
    expect(span.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    expect(sent.headers).toEqual({ traceparent: `00-${TRACE}-${span.spanContext().spanId}-01` });
  });

  it('sends a message of a trace not sampled with the trace as it was carried, and no span', () => {
    const carrier = { traceparent: `00-${TRACE}-b7ad6b7169203331-00`, tracestate: 'vendor=value' };
    const sent = producerSpan('publish OrderCalculated', carrier, {});
    sent.span.end();
    expect(exported()).toEqual([]);
    expect(sent.headers).toBe(carrier);
  });

  it('continues a sender’s sampled trace, though the remote parent records nothing here', async () => {
    const remote = contextFromHeaders({ traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
    await inSpan('process order.placed', { parent: remote }, () => Promise.resolve());
    const [span] = exporter.getFinishedSpans();
    expect(span.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
  });

  it('sends a message whose stored trace is malformed or missing as one of no trace, without failing', () => {
    for (const stored of [undefined, {}, { traceparent: 'not a traceparent' }]) {
      const sent = producerSpan('publish OrderCalculated', stored as unknown as TraceCarrier, {});
      sent.span.end();
      expect(sent.headers).toBeNull();
    }
    expect(exported()).toEqual([]);
  });

  it('links only the sampled traces of a shared piece of work', () => {
    const header = (flags: string): Context =>
      contextFromHeaders({ traceparent: `00-0af7651916cd43dd8448eb211c80319c-b7ad6b716920333${flags}-0${flags}` });
    expect(linksTo([header('1'), header('0'), contextFromHeaders(undefined)])).toHaveLength(1);
  });
});
