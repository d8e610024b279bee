import { Catch, Inject, Logger, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Request, Response } from 'express';
import { STRIPE_CONNECT_ROUTE_PREFIXES } from '../stripe-connect.constants.js';
import { stripeConnectErrorBody } from './stripe-connect-exception.filter.js';

/**
 * Registered globally by the module (`APP_FILTER`) for what fails before a route runs, where the controllers'
 * own filter cannot see it: a body too large (413) or not JSON (400), a path that matches no route (404), a
 * malformed percent-encoding (400). On the library's paths (`/connect…` and the webhook paths) these answer
 * the library's error body; everywhere else Nest's default handling applies unchanged.
 */
@Catch()
export class StripeConnectEdgeFilter extends BaseExceptionFilter {
  private readonly edgeLogger = new Logger(StripeConnectEdgeFilter.name);

  constructor(@Inject(STRIPE_CONNECT_ROUTE_PREFIXES) private readonly prefixes: string[]) {
    super();
  }

  override catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return super.catch(error, host);
    const request = host.switchToHttp().getRequest<Request>();
    const path = (request.originalUrl ?? request.url ?? '').split('?')[0];
    if (!this.prefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`)))
      return super.catch(error, host);
    const response = host.switchToHttp().getResponse<Response>();
    let body = stripeConnectErrorBody(error, this.edgeLogger);
    // A webhook delivery refused before it reached the endpoint (body not JSON, too large): answered and
    // logged as the endpoint itself would.
    if (!path.startsWith('/connect') && body.statusCode < 500) {
      if (body.statusCode === 400)
        body = { statusCode: 400, message: 'The body is not JSON', code: 'invalid_payload' };
      const reason = body.statusCode === 400 ? 'not_json' : body.code;
      this.edgeLogger.warn(`webhook refused at ${path}: ${reason} (no readable event id)`);
    }
    if (response.headersSent) {
      response.end();
      return;
    }
    response.status(body.statusCode).json(body);
  }
}
