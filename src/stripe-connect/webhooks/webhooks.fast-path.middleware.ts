/**
 * The two webhook routes without Nest's route pipeline: Stripe's deliveries are most of a platform's requests,
 * and the router walk over every route, the execution context, guards and the response adapter cost about as
 * much CPU as processing the event (bench/PROFILE.md). Mounted as the library's first middleware on the webhook
 * paths, after the host's body parsers (the raw body, the body size limit and the content-type check stay
 * theirs): a POST with a raw body is verified, stored and processed by `WebhooksService.receive` as the
 * controller does, and answered with the same bodies, errors included (the library's error shape, through
 * the filter's own mapping). Anything else (no raw body: empty, not JSON, or an app without `rawBody`) goes on
 * to the controller, which answers it. The controller stays the documented route (OpenAPI).
 */
import { Inject, Injectable, Logger, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { stripeConnectErrorBody } from '../common/stripe-connect-exception.filter.js';
import {
  STRIPE_CONNECT_ROUTE_PREFIXES,
  type StripeConnectRoutePrefixes,
} from '../stripe-connect.constants.js';
import { webhookAnswer } from './webhooks.controller.js';
import { WebhooksService, type WebhookEndpointKind } from './webhooks.service.js';

type WebhookRequest = IncomingMessage & { rawBody?: unknown; originalUrl?: string };

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(json),
  });
  res.end(json);
}

@Injectable()
export class WebhooksFastPath implements NestMiddleware {
  /** Errors are logged as the library's exception filter logs them. */
  private readonly logger = new Logger('StripeConnectExceptionFilter');
  private readonly kinds: Map<string, WebhookEndpointKind>;

  constructor(
    private readonly webhooks: WebhooksService,
    @Inject(STRIPE_CONNECT_ROUTE_PREFIXES) prefixes: StripeConnectRoutePrefixes,
  ) {
    // The module lists the platform endpoint's path first, then the Connect endpoint's.
    const [platform, connect] = prefixes.webhooks;
    this.kinds = new Map<string, WebhookEndpointKind>([
      [platform, 'platform'],
      [connect, 'connect'],
    ]);
  }

  use(req: WebhookRequest, res: ServerResponse, next: (error?: unknown) => void): void {
    const url = req.originalUrl ?? req.url ?? '';
    const query = url.indexOf('?');
    const kind = this.kinds.get(query < 0 ? url : url.slice(0, query));
    const rawBody = req.rawBody;
    if (req.method !== 'POST' || !kind || !Buffer.isBuffer(rawBody)) {
      next();
      return;
    }
    const header = req.headers['stripe-signature'];
    const signature = Array.isArray(header) ? header.join(', ') : header;
    this.webhooks.receive(kind, rawBody, signature).then(
      ({ event, outcome }) => {
        try {
          send(res, 200, webhookAnswer(event.id, outcome));
        } catch (error) {
          this.fail(res, error);
        }
      },
      (error: unknown) => this.fail(res, error),
    );
  }

  private fail(res: ServerResponse, error: unknown): void {
    const body = stripeConnectErrorBody(error, this.logger);
    if (res.headersSent) {
      res.end();
      return;
    }
    send(res, body.statusCode, body);
  }
}
