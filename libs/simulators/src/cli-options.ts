/** Readers for command-line values: each names the option it rejects, so a typo is obvious. */

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function integerOption(name: string, value: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, not ${JSON.stringify(value)}`);
  }
  return number;
}

/** A share of the messages, as a fraction (0.05) or a percentage (5%). */
export function shareOption(name: string, value: string): number {
  const number = value.endsWith('%') ? Number(value.slice(0, -1)) / 100 : Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0 || number > 1) {
    throw new UsageError(`--${name} must be a share from 0 to 1 (or 0% to 100%), not ${JSON.stringify(value)}`);
  }
  return number;
}

export function timestampOption(name: string, value: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(date.getTime())) {
    throw new UsageError(`--${name} must be an ISO 8601 timestamp such as 2026-11-21T10:00:00Z, not ${value}`);
  }
  return date;
}

/**
 * Runs a CLI's main: `--help` prints the usage; a usage error prints its message and the usage,
 * anything else its message; both exit non-zero.
 */
export function runCli(main: () => Promise<number>, usage: string): void {
  if (process.argv.includes('--help')) {
    process.stdout.write(usage);
    return;
  }
  main().then(
    (exitCode) => {
      process.exitCode = exitCode;
    },
    (error: unknown) => {
      const usageError =
        error instanceof UsageError || String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS');
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${usageError ? usage : ''}`);
      process.exitCode = usageError ? 64 : 1;
    },
  );
}
