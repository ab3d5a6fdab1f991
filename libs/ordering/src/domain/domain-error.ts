/** A broken business rule, with a stable code that each adapter maps once (DLQ reason, HTTP status). */
export abstract class DomainError extends Error {
  abstract readonly code: string;

  protected constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
