import type { ChannelModel } from 'amqplib';
import type { Writable } from 'node:stream';

/**
 * The parts of amqplib's connection this relies on: its internals, not its API
 * (test/integration/amqp-publisher.int-spec.ts fails if they move).
 */
interface ConnectionInternals {
  /** The socket, as amqplib writes to it. */
  readonly stream: Writable;
  /** Moves the frames its channels queued onto the socket, all it can in one go. */
  readonly muxer: { _readIncoming(): void };
}

/**
 * Makes a connection write the frames its channels queued with one system call per round, not one
 * per frame: amqplib writes every publish to the socket on its own, and on a round of hundreds of
 * OrderCalculated messages those writes cost more CPU than building the messages. The socket is
 * corked only while amqplib moves the queued frames over, so nothing waits for a later write.
 */
export function coalesceFrameWrites(model: ChannelModel): void {
  const { stream, muxer } = (model as unknown as { connection: ConnectionInternals }).connection;
  const moveFrames = muxer._readIncoming.bind(muxer);
  muxer._readIncoming = () => {
    stream.cork();
    try {
      moveFrames();
    } finally {
      stream.uncork();
    }
  };
}
