import type { LoggerService, LogLevel } from '@nestjs/common';
import { pino, type Logger as Pino } from 'pino';
import { LogContext } from './log-context.js';
import { TurnBufferedOutput } from './turn-buffered-output.js';

const PINO_LEVELS: Record<LogLevel, pino.Level> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

export interface PinoLoggerOptions {
  /** Where lines go; stdout, a turn at a time, when not given. */
  readonly destination?: pino.DestinationStream;
  /** More fields for every line from where it is written (the active trace's ids when tracing is on). */
  readonly fields?: () => object;
}

/**
 * Nest's logger interface over pino: one JSON object per line on stdout, with the Nest context, the
 * message's correlation id (from LogContext) and any fields passed as an object message.
 * Lines go out once per turn of the event loop (TurnBufferedOutput), not one system call each.
 */
export class PinoLogger implements LoggerService {
  private readonly pino: Pino;
  private readonly children = new Map<string, Pino>();

  constructor(level: LogLevel, service: string, { destination, fields }: PinoLoggerOptions = {}) {
    this.pino = pino(
      {
        level: PINO_LEVELS[level],
        base: { service, pid: process.pid },
        messageKey: 'message',
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
        mixin: fields ? () => ({ ...LogContext.current(), ...fields() }) : () => ({ ...LogContext.current() }),
      },
      destination ?? new TurnBufferedOutput(pino.destination({ dest: 1, sync: true })),
    );
  }

  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }

  /** Nest passes (message, ...params, context); an Error's stack, when given, comes before the context. */
  private write(level: pino.Level, message: unknown, rest: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const context = rest.length > 0 && typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const stack = rest.find((param) => typeof param === 'string');
    const logger = context === undefined ? this.pino : this.forContext(context);
    const extra = typeof stack === 'string' ? { stack } : undefined;
    if (message instanceof Error) {
      logger[level]({ ...extra, error: message.message, stack: message.stack }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      logger[level](extra ? { ...extra, ...message } : message);
    } else {
      logger[level](extra ?? {}, String(message));
    }
  }

  /** A child per Nest context: pino serializes its `context` once, not on every line. */
  private forContext(context: string): Pino {
    let child = this.children.get(context);
    if (!child) this.children.set(context, (child = this.pino.child({ context })));
    return child;
  }
}
