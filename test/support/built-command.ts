import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The path of one of the built entry points (`main`, `cli/dlq-replay`, `cli/verify-consistency`, …). */
export function builtEntry(name: string): string {
  const path = fileURLToPath(new URL(`../../dist/apps/order-service/src/${name}.js`, import.meta.url));
  if (!existsSync(path)) throw new Error(`${path} is missing: run "npm run build" first`);
  return path;
}

export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly timeoutMs?: number;
  /** Stops the command with SIGTERM once its output holds this (a service waiting for a dependency). */
  readonly stopOnOutput?: string;
}

/**
 * Runs a built command as an operator would, configured only through the environment, and waits
 * for its end; a command still running after `timeoutMs` is stopped with SIGTERM.
 */
export async function runBuiltCommand(
  name: string,
  args: readonly string[],
  environment: Record<string, string>,
  { timeoutMs = 30_000, stopOnOutput }: RunOptions = {},
): Promise<CommandResult> {
  const child = spawn(process.execPath, [builtEntry(name), ...args], {
    env: { ...process.env, ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const stopIfDone = () => {
    if (stopOnOutput !== undefined && (stdout + stderr).includes(stopOnOutput)) child.kill('SIGTERM');
  };
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    stopIfDone();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    stopIfDone();
  });
  const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, stdout, stderr };
}
