import { type ChildProcess, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import pg from 'pg';

export function progress(line: string): void {
  process.stderr.write(`\r\x1b[2K${line}`);
}

export function say(line: string): void {
  process.stderr.write(`\r\x1b[2K${line}\n`);
}

export async function query<T>(databaseUrl: string, sql: string, parameters: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql, parameters)).rows as T[];
  } finally {
    await client.end();
  }
}

/**
 * Writes the page cache's dirty pages to disk before a phase. A drain leaves a few hundred MB dirty;
 * the kernel writes them back about 30 s later, and every fsync (a commit, a persistent confirm)
 * waits behind that write. Flushing first gives each phase its own disk, the service and the
 * yardstick alike.
 */
export function settle(): void {
  const dirtyMb = () =>
    Math.round(Number(/Dirty:\s+(\d+) kB/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0) / 1024);
  const before = dirtyMb();
  const started = Date.now();
  spawnSync('sync');
  say(`settled: ${before} MB of dirty pages written in ${Date.now() - started} ms`);
}

/** Peak resident set of a process so far (Linux VmHWM), in MB. */
export function peakRssMb(pid: number | undefined): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid ?? 0}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : Number.NaN;
}

export async function waitForOutput(
  child: ChildProcess,
  pattern: RegExp,
  timeoutMs = 60_000,
): Promise<RegExpExecArray> {
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ${String(pattern)} within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('close', (code) => reject(new Error(`exited with ${code} before ${String(pattern)}:\n${output}`)));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function stop(child: ChildProcess): Promise<void> {
  // A process ended by a signal has no exit code, only a signal code.
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}
