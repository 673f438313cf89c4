import { ConsoleLogger, LogLevel } from '@nestjs/common';
import { currentRequestId } from '@relais/access-log';
import { currentCorrelationId } from '@relais/kernel';

export interface JsonLoggerOptions {
  readonly logLevels?: LogLevel[];
  /** Where each line goes; standard output when absent. */
  readonly write?: (line: string) => void;
}

/**
 * One JSON object per line, for a log collector: the time, the level, the component, the message,
 * the id of the HTTP request it happened in (`X-Request-Id`, also in the events that request
 * appended, as their `correlationId`), and, in a processor or a delivery, the `correlationId` of
 * the events it handles (`withCorrelation`). What is logged is what Relais logs in text: ids, codes and
 * counts, never a person's data (the personal-data search of the tests reads these lines).
 */
export class JsonLogger extends ConsoleLogger {
  private readonly write: (line: string) => void;

  constructor(context: string, options: JsonLoggerOptions = {}) {
    super(context, options.logLevels ? { logLevels: options.logLevels } : {});
    this.write = options.write ?? ((line) => process.stdout.write(`${line}\n`));
  }

  protected override printMessages(
    messages: unknown[],
    context = '',
    logLevel: LogLevel = 'log',
  ): void {
    const requestId = currentRequestId();
    const correlationId = currentCorrelationId();
    for (const message of messages) {
      this.write(
        JSON.stringify({
          time: new Date().toISOString(),
          level: logLevel,
          pid: process.pid,
          context,
          message: textOf(message),
          ...(requestId === undefined ? {} : { requestId }),
          ...(correlationId === undefined ? {} : { correlationId }),
        }),
      );
    }
  }

  protected override printStackTrace(stack: string): void {
    if (stack)
      this.write(JSON.stringify({ time: new Date().toISOString(), level: 'error', stack }));
  }
}

function textOf(message: unknown): string {
  if (typeof message === 'string') return message;
  if (message instanceof Error) return message.message;
  return JSON.stringify(message);
}
