/**
 * A durable note of the redelivered messages being handled right now, kept outside the process: a
 * note still there when its message comes back says that the process handling it stopped. The port
 * between the inbound adapter that handles a message and the store that outlives the process.
 */
export abstract class ProcessingMarks {
  /**
   * Notes that the message with this body (its SHA-256) is being handled now; resolves to how often
   * it was noted before without being cleared: the processes that stopped while handling it.
   */
  abstract start(bodyDigest: Buffer): Promise<number>;

  /** Clears the note: the message was settled, or left to the broker by a process still alive. */
  abstract finish(bodyDigest: Buffer): Promise<void>;
}
