import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { context, type Context, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  InMemorySpanExporter,
  ParentBasedSampler,
  SamplingDecision,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { contextFromHeaders, inSpan, linksTo, startSpan, traceCarrierOf } from './spans.js';

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

  it('starts no child under a span it did not sample, and propagates that trace as not sampled', async () => {
    let carried: ReturnType<typeof traceCarrierOf> = null;
    await inSpan('not sampled', {}, async (root) => {
      await inSpan('decode', {}, (child) => {
        expect(child.spanContext()).toEqual(root.spanContext());
        carried = traceCarrierOf();
        return Promise.resolve();
      });
      expect(startSpan('commit', {}).spanContext()).toEqual(root.spanContext());
    });
    expect(exported()).toEqual([]);
    expect(carried).toEqual({ traceparent: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/) });
  });

  it('continues a sender’s sampled trace, though the remote parent records nothing here', async () => {
    const remote = contextFromHeaders({ traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
    await inSpan('process order.placed', { parent: remote }, () => Promise.resolve());
    const [span] = exporter.getFinishedSpans();
    expect(span.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
  });

  it('links only the sampled traces of a shared piece of work', () => {
    const header = (flags: string): Context =>
      contextFromHeaders({ traceparent: `00-0af7651916cd43dd8448eb211c80319c-b7ad6b716920333${flags}-0${flags}` });
    expect(linksTo([header('1'), header('0'), contextFromHeaders(undefined)])).toHaveLength(1);
  });
});
