import { ProgressLine } from './progress-line.js';

export interface Stoppable {
  /** Finishes what it holds, then disconnects. */
  stop(): Promise<void>;
}

export interface StopOutcome<T> {
  readonly running: T;
  /** The message of the error that stopped it, or null when it was asked to stop. */
  readonly error: string | null;
}

/**
 * Runs an example's consumer until Ctrl-C, SIGTERM or a fatal error, with a live progress line,
 * then stops it and keeps its last state on screen.
 */
export async function runUntilStopped<T extends Stoppable>(
  start: (onFatal: (error: Error) => void) => Promise<T>,
  startedLine: string,
  status: (running: T) => string,
): Promise<StopOutcome<T>> {
  const progress = new ProgressLine();
  let fatal: Error | null = null;
  let stopRequested: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (stopRequested = resolve));
  const running = await start((error) => {
    fatal ??= error;
    stopRequested();
  });
  process.once('SIGINT', stopRequested).once('SIGTERM', stopRequested);
  progress.say(startedLine);
  const ticker = setInterval(() => progress.show(status(running)), 100);
  await stopped;
  clearInterval(ticker);
  await running.stop();
  progress.finish(status(running));
  return { running, error: fatal === null ? null : (fatal as Error).message };
}
