import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import {
  FormValidationError,
  StripeConnectError,
  StripeRequestError,
} from './stripe-connect.errors.js';

/** Maps the library's errors to `{ statusCode, message, code }` on the library's routes. */
@Catch(StripeConnectError)
export class StripeConnectExceptionFilter implements ExceptionFilter<StripeConnectError> {
  private readonly logger = new Logger(StripeConnectExceptionFilter.name);

  catch(error: StripeConnectError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (error.status >= 500) this.logger.warn(`${error.name}: ${error.message}`);
    const body: Record<string, unknown> = {
      statusCode: error.status,
      message: error.message,
      code: error.code,
    };
    if (error instanceof FormValidationError) body.errors = error.errors;
    if (error instanceof StripeRequestError) {
      if (error.declineCode) body.declineCode = error.declineCode;
      if (error.field) body.errors = { [error.field]: [error.message] };
    }
    response.status(error.status).json(body);
  }
}
