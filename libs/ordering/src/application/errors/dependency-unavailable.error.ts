/**
 * A dependency (database, broker) could not be reached or dropped the work half-way. Nothing was
 * committed, so the work is safe to retry once the dependency is back.
 */
export class DependencyUnavailableError extends Error {
  constructor(dependency: string, cause: unknown) {
    super(`${dependency} unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'DependencyUnavailableError';
  }
}
