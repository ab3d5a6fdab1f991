import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { builtEntry } from './built-command.js';

export const READY_LINE = 'order-service consuming';

/**
 * The built service as a real OS process, as it runs in production: configured only through the
 * environment, stopped with a signal.
 */
export class ServiceProcess {
  private output = '';

  private constructor(
    private readonly child: ChildProcess,
    /** Its SERVICE_NAME: the application_name of its Postgres connections, the prefix of its broker connections. */
    readonly name: string,
  ) {
    const collect = (chunk: Buffer) => (this.output += chunk.toString());
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
  }

  static async start(environment: Record<string, string>, timeoutMs = 30_000): Promise<ServiceProcess> {
    const service = ServiceProcess.launch(environment);
    await service.waitForLog(READY_LINE, timeoutMs);
    return service;
  }

  /** Started, without waiting for it to consume: for a process that may die before it says so. */
  static launch(environment: Record<string, string>): ServiceProcess {
    const child = spawn(process.execPath, [builtEntry('main')], {
      env: { ...process.env, HTTP_PORT: '0', MANAGEMENT_PORT: '0', LOG_LEVEL: 'log', ...environment },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ServiceProcess(child, environment.SERVICE_NAME ?? 'order-service');
  }

  private get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  get logs(): string {
    return this.output;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Where the service's HTTP API listens (it binds a free port: HTTP_PORT=0). */
  get baseUrl(): string {
    return this.reportedUrl('HTTP');
  }

  /** Where its probes and metrics listen besides (a free port too: MANAGEMENT_PORT=0). */
  get managementUrl(): string {
    return this.reportedUrl('management');
  }

  private reportedUrl(listener: 'HTTP' | 'management'): string {
    const port = new RegExp(`${listener} on port (\\d+)`).exec(this.output)?.[1];
    if (!port) throw new Error(`the service has not reported its ${listener} port:\n${this.output}`);
    return `http://127.0.0.1:${port}`;
  }

  async waitForLog(text: string, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.output.includes(text)) {
      if (this.exited)
        throw new Error(`service exited (${this.child.exitCode ?? this.child.signalCode}):\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`no "${text}" within ${timeoutMs} ms:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Resolves once the process has ended, by itself or by a signal. */
  async untilExit(): Promise<void> {
    if (!this.exited) await once(this.child, 'exit');
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.exited) return this.child.exitCode;
    const exited = once(this.child, 'exit');
    this.child.kill(signal);
    const [code] = (await exited) as [number | null];
    return code;
  }
}
