/** Where the buffered lines finally go: a synchronous stdout in the service, anything writable in tests. */
export interface LineSink {
  write(text: string): unknown;
}

/**
 * Log lines written together, once per turn of the event loop: one write for the lines of a whole
 * batch of orders instead of a system call for each. (pino's asynchronous destination batches too,
 * but copies its whole pending buffer again for every line that waits behind a write in flight.)
 * The sink's write is synchronous, so what is buffered is written at exit too, and a log reader
 * that stops reading holds the service back rather than letting its memory grow without bound.
 */
export class TurnBufferedOutput {
  private lines: string[] = [];
  private scheduled = false;

  constructor(private readonly sink: LineSink) {
    process.once('exit', () => this.flush());
  }

  write(line: string): void {
    this.lines.push(line);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  flush(): void {
    this.scheduled = false;
    if (this.lines.length === 0) return;
    const text = this.lines.join('');
    this.lines = [];
    this.sink.write(text);
  }
}
