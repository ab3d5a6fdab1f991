import { rmSync } from 'node:fs';

const GRACE_MS = 5_000;

/**
 * What this process started outside itself: detached server processes and the directory that
 * holds their data. Stopped and removed by `release`, or by the exit and signal handlers when a run
 * ends before that (a failed setup, an interrupted run). By process id only: never a process this
 * suite did not start. Synchronous, so that it works in an exit handler too.
 */
export class OwnedProcesses {
  private static readonly owned = new Set<OwnedProcesses>();
  private static handlersInstalled = false;

  /**
   * `pidsOf` is asked at release time: a node restarted by a scenario runs under a new pid.
   * `signal` is the one that makes each server take its own children down with it (a postmaster
   * and its backends); SIGKILL follows for any that is still there after a grace period.
   */
  constructor(
    private readonly pidsOf: () => readonly (number | undefined)[],
    private readonly directory: string,
    private readonly signal: NodeJS.Signals = 'SIGKILL',
  ) {
    OwnedProcesses.installHandlers();
    OwnedProcesses.owned.add(this);
  }

  release(): void {
    OwnedProcesses.owned.delete(this);
    const pids = this.pidsOf().filter((pid) => pid !== undefined);
    for (const pid of pids) signalQuietly(pid, this.signal);
    const deadline = Date.now() + GRACE_MS;
    while (pids.some(isRunning) && Date.now() < deadline) sleepSync(50);
    for (const pid of pids) signalQuietly(pid, 'SIGKILL');
    rmSync(this.directory, { recursive: true, force: true, maxRetries: 5 });
  }

  private static installHandlers(): void {
    if (OwnedProcesses.handlersInstalled) return;
    OwnedProcesses.handlersInstalled = true;
    const releaseAll = () => OwnedProcesses.owned.forEach((owned) => owned.release());
    process.once('exit', releaseAll);
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(signal, () => {
        releaseAll();
        // Re-raised only when nobody else handles it (vitest does in its main process).
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      });
    }
  }
}

export function signalQuietly(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

/** True while a process with this pid exists. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
