import type { OnApplicationShutdown } from '@nestjs/common';
import type { PlacedOrderMessage } from '@app/ordering';
import { Worker } from 'node:worker_threads';
import { UndecodableMessageError } from './json-message.decoder.js';
import type { Rejection } from './rejection.js';

export interface DecodingJob {
  readonly content: Uint8Array;
  readonly maxBytes: number;
}

export type DecodingOutcome =
  { readonly order: PlacedOrderMessage } | { readonly rejection: Rejection } | { readonly failure: string };

interface Pending {
  readonly job: DecodingJob;
  readonly resolve: (order: PlacedOrderMessage) => void;
  readonly reject: (error: unknown) => void;
  /** Times the thread stopped while this job was the one it was reading. */
  crashes: number;
}

/** A body that stops the thread this often is not retried: it is the body, not the thread. */
const MAX_CRASHES = 2;
/** Old space of the thread: the worst 4 MiB body (two million numbers) needs 64 to 96 MB. */
const HEAP_LIMIT_MB = 128;
const WORKER_FILE = new URL('./order-decoding.worker.js', import.meta.url);

/**
 * Reads large bodies on a thread of their own, one at a time, so that no single message holds the
 * event loop for the time its decoding takes (a maximal order's lossless parse takes tens of
 * milliseconds, a body of millions of numbers hundreds). What comes back is the order's plain form,
 * not the decoded body: a body padded with unknown fields costs the main thread nothing.
 */
export class OffThreadOrderDecoder implements OnApplicationShutdown {
  private worker: Worker | null = null;
  /** In the order sent: the thread answers one job at a time, in order. */
  private readonly pending: Pending[] = [];

  decode(content: Buffer, maxBytes: number): Promise<PlacedOrderMessage> {
    return new Promise((resolve, reject) => {
      // A copy of exactly its bytes: a Buffer may be a view of a larger pooled one, cloned whole.
      const job = { content: new Uint8Array(content), maxBytes };
      this.pending.push({ job, resolve, reject, crashes: 0 });
      this.send(job);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    // Their deliveries stay unacked, and the broker hands them to another replica.
    this.pending.splice(0).forEach(({ reject }) => reject(new Error('The service is stopping')));
    await worker?.terminate();
  }

  private send(job: DecodingJob): void {
    this.worker ??= this.start();
    this.worker.postMessage(job);
  }

  private start(): Worker {
    const worker = new Worker(WORKER_FILE, { resourceLimits: { maxOldGenerationSizeMb: HEAP_LIMIT_MB } });
    // Idle, it must not keep the process alive.
    worker.unref();
    worker.on('message', (outcome: DecodingOutcome) => this.answer(outcome));
    worker.on('error', () => undefined);
    worker.on('exit', (code) => this.stopped(worker, code));
    return worker;
  }

  private answer(outcome: DecodingOutcome): void {
    const head = this.pending.shift();
    if (!head) return;
    if ('order' in outcome) head.resolve(outcome.order);
    else if ('rejection' in outcome)
      head.reject(new UndecodableMessageError(outcome.rejection.reason, outcome.rejection.detail));
    else head.reject(new Error(outcome.failure));
  }

  /** The job in hand is charged with the stop; the others go to a new thread as they were. */
  private stopped(worker: Worker, code: number): void {
    if (this.worker !== worker) return;
    this.worker = null;
    const head = this.pending[0];
    if (head && ++head.crashes >= MAX_CRASHES) {
      this.pending.shift();
      head.reject(
        new UndecodableMessageError(
          'processing-failed',
          `Reading the message stopped the decoding thread ${head.crashes} times (exit code ${code}); ` +
            'a valid order never does: check how it was produced.',
        ),
      );
    }
    this.pending.forEach(({ job }) => this.send(job));
  }
}
