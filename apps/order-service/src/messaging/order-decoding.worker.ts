import { PlacedOrder } from '@app/ordering';
import { parentPort } from 'node:worker_threads';
import { errorMessage } from '../observability/error-message.js';
import { decodeJsonMessage, UndecodableMessageError } from './json-message.decoder.js';
import { rejectionFor } from './rejection.js';
import type { DecodingJob, DecodingOutcome } from './off-thread-order-decoder.js';

/**
 * The decoding thread: reads a large body and checks it against the contract, as the intake would,
 * and answers with the order in its plain form or with the rejection, never the whole decoded body.
 */
function decode({ content, maxBytes }: DecodingJob): DecodingOutcome {
  try {
    return { order: PlacedOrder.parse(decodeJsonMessage(content, maxBytes)).toMessage() };
  } catch (error) {
    const rejection = error instanceof UndecodableMessageError ? error.rejection : rejectionFor(error);
    return rejection ? { rejection } : { failure: errorMessage(error) };
  }
}

parentPort?.on('message', (job: DecodingJob) => parentPort?.postMessage(decode(job)));
