import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ChildOptions {
  readonly env: Record<string, string>;
  /** Output to this file instead of pipes, so the process may outlive the demo (--keep). */
  readonly logFile?: string;
  /** stderr straight to the demo's terminal (product A's progress line). */
  readonly showProgress?: boolean;
  readonly detached?: boolean;
}

/** One of the demo's Node processes: the service or an example CLI, run from dist/. */
export class NodeChild {
  private collected = '';

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    private readonly logFile: string | undefined,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.collected += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.collected += chunk.toString()));
  }

  static start(name: string, script: string, args: string[], options: ChildOptions): NodeChild {
    const log = options.logFile === undefined ? undefined : openSync(options.logFile, 'a');
    const child = spawn(process.execPath, [script, ...args], {
      env: { ...process.env, ...options.env },
      stdio: ['ignore', log ?? 'pipe', log ?? (options.showProgress ? 'inherit' : 'pipe')],
      detached: options.detached ?? false,
    });
    if (log !== undefined) closeSync(log);
    return new NodeChild(name, child, options.logFile);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Everything it wrote so far (stdout and stderr, or its log file). */
  output(): string {
    return this.logFile === undefined ? this.collected : readFileSync(this.logFile, 'utf8');
  }

  /** Waits for a line matching `pattern`; fails early if the process exits. */
  async waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
    for (const deadline = Date.now() + timeoutMs; ;) {
      const match = pattern.exec(this.output());
      if (match) return match;
      if (!this.running) throw new Error(`${this.name} exited (${this.child.exitCode}):\n${this.output()}`);
      if (Date.now() > deadline) throw new Error(`${this.name}: no ${String(pattern)} within ${timeoutMs} ms`);
      await sleep(50);
    }
  }

  async exited(): Promise<number | null> {
    if (!this.running) return this.child.exitCode;
    const [code] = (await once(this.child, 'exit')) as [number | null];
    return code;
  }

  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  async stop(graceMs = 30_000): Promise<void> {
    if (!this.running) return;
    const exited = this.exited();
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  /** Lets the demo exit while this process goes on (--keep). */
  release(): void {
    this.child.unref();
  }
}
