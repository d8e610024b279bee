import type { LoggerService } from '@nestjs/common';

export interface LogLine {
  level: 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';
  text: string;
}

/** A Nest logger that keeps every line (message, context, stack) for a test to read. */
export class CapturingLogger implements LoggerService {
  readonly lines: LogLine[] = [];

  private keep(level: LogLine['level'], message: unknown, params: unknown[]): void {
    const parts = [message, ...params].map((part) =>
      part instanceof Error
        ? `${part.name}: ${part.message}\n${part.stack ?? ''}`
        : typeof part === 'string'
          ? part
          : JSON.stringify(part),
    );
    this.lines.push({ level, text: parts.join(' ') });
  }

  log(message: unknown, ...params: unknown[]): void {
    this.keep('log', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.keep('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.keep('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.keep('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.keep('verbose', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.keep('fatal', message, params);
  }

  /** Every line at `level` (or every line) as text. */
  text(level?: LogLine['level']): string {
    return this.lines
      .filter((line) => !level || line.level === level)
      .map((line) => `[${line.level}] ${line.text}`)
      .join('\n');
  }
}
