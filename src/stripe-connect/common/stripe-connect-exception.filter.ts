import {
  Catch,
  HttpException,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Response } from 'express';
import { STATUS_CODES } from 'node:http';
import Stripe from 'stripe';
import {
  FormValidationError,
  StripeConnectError,
  StripeRequestError,
} from './stripe-connect.errors.js';

/** The error body of every library route: `{ statusCode, message, code, declineCode?, errors? }`. */
export interface StripeConnectErrorBody {
  statusCode: number;
  message: string;
  code: string;
  declineCode?: string;
  errors?: Record<string, string[]>;
}

/** `Payload Too Large` → `payload_too_large`: the code of an HTTP error that carries none. */
export function codeForStatus(status: number): string {
  return (STATUS_CODES[status] ?? 'error')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Body-parser and other `http-errors` errors: `{ status, statusCode, expose }`. */
function httpErrorStatus(error: unknown): number | null {
  if (!isRecord(error) && !(error instanceof Error)) return null;
  const status =
    (error as { statusCode?: unknown; status?: unknown }).statusCode ??
    (error as { status?: unknown }).status;
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status < 600
    ? status
    : null;
}

/** What a Stripe fault says about itself, for the log: never the key, the request body or the URL. */
export function stripeCauseOf(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  if (!(cause instanceof Stripe.errors.StripeError)) return '';
  const parts = [
    cause.type,
    cause.code && `code ${cause.code}`,
    cause.statusCode && `HTTP ${cause.statusCode}`,
    cause.requestId && `request ${cause.requestId}`,
  ].filter(Boolean);
  return ` (Stripe: ${parts.join(', ')})`;
}

/**
 * Any error of a library route → the library's error body. The library's errors carry their status and code;
 * Nest's own (`BadRequestException`, `UnauthorizedException`, 404s…) and body-parser's (413, bad JSON) keep
 * their status and get a `code`; anything else is a 500 whose cause is logged, never answered.
 */
export function stripeConnectErrorBody(error: unknown, logger: Logger): StripeConnectErrorBody {
  if (error instanceof StripeConnectError) {
    const body: StripeConnectErrorBody = {
      statusCode: error.status,
      message: error.message,
      code: error.code,
    };
    if (error instanceof FormValidationError) body.errors = error.errors;
    if (error instanceof StripeRequestError) {
      if (error.declineCode) body.declineCode = error.declineCode;
      if (error.field) body.errors = { [error.field]: [error.message] };
    }
    if (error.status >= 500)
      logger.error(`${error.name} ${error.code}: ${error.message}${stripeCauseOf(error)}`);
    return body;
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const given = isRecord(response) ? response : { message: response };
    const message = Array.isArray(given.message)
      ? given.message.join('; ')
      : typeof given.message === 'string'
        ? given.message
        : error.message;
    const body: StripeConnectErrorBody = {
      statusCode: status,
      message,
      code: typeof given.code === 'string' ? given.code : codeForStatus(status),
    };
    if (isRecord(given.errors)) body.errors = given.errors as Record<string, string[]>;
    if (status >= 500) logger.error(`${error.name}: ${message}`);
    return body;
  }
  const status = httpErrorStatus(error);
  if (status !== null && status < 500) {
    const exposed = (error as { expose?: unknown }).expose !== false;
    const message = exposed && error instanceof Error ? error.message : STATUS_CODES[status];
    return { statusCode: status, message: message ?? 'Bad request', code: codeForStatus(status) };
  }
  logger.error(
    error instanceof Error
      ? `${error.name}: ${error.message}\n${error.stack ?? ''}`
      : String(error),
  );
  return { statusCode: 500, message: 'Internal server error', code: 'internal_error' };
}

/** Maps every error of the library's routes to `{ statusCode, message, code, errors? }`. */
@Catch()
export class StripeConnectExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(StripeConnectExceptionFilter.name);

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = stripeConnectErrorBody(error, this.logger);
    if (response.headersSent) {
      response.end();
      return;
    }
    response.status(body.statusCode).json(body);
  }
}
