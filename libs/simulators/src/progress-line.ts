/**
 * One line of live progress on stderr. On a terminal it is rewritten in place (at most ten times a
 * second); in a log (a pipe, `docker compose logs`) a plain line is written every few seconds instead.
 */
export class ProgressLine {
  private lastShown = 0;
  private showing = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  show(text: string, force = false): void {
    const now = Date.now();
    if (!force && now - this.lastShown < (this.stream.isTTY ? 100 : 5_000)) return;
    this.lastShown = now;
    if (this.stream.isTTY) {
      this.stream.write(`\r\x1b[2K${text}`);
      this.showing = true;
    } else {
      this.stream.write(`${text}\n`);
    }
  }

  /** A lasting line, written above the progress line. */
  say(text: string): void {
    this.stream.write(this.showing ? `\r\x1b[2K${text}\n` : `${text}\n`);
    this.showing = false;
  }

  /** The final state, kept on screen. */
  finish(text: string): void {
    this.show(text, true);
    if (this.showing) this.stream.write('\n');
    this.showing = false;
  }
}

export function progressBar(done: number, total: number, width = 24): string {
  const filled = total > 0 ? Math.min(width, Math.round((done / total) * width)) : 0;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}
