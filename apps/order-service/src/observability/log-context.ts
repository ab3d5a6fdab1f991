import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line written while handling one message carries, wherever it is written from. */
export interface LogFields {
  readonly correlationId?: string | null;
  readonly messageId?: string | null;
}

const storage = new AsyncLocalStorage<LogFields>();

export const LogContext = {
  run<T>(fields: LogFields, work: () => T): T {
    return storage.run(fields, work);
  },
  current(): LogFields {
    return storage.getStore() ?? {};
  },
};
