/**
 * The two webhook routes without Nest's route pipeline, for the `'express'` intake (and for deliveries the
 * `'server'` intake passes on: see webhooks.server-intake.ts): Stripe's deliveries are most of a platform's
 * requests, and the router walk over every route, the execution context, guards and the response adapter cost
 * about as much CPU as processing the event (bench/PROFILE.md). Mounted as the library's first middleware on the
 * webhook paths, after the host's body parsers (the raw body, the body size limit and the content-type check
 * stay theirs): a POST with a raw body is verified, stored and processed by `WebhooksService.receive` as the
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

/** Errors of both lean paths are logged as the library's exception filter logs them. */
const errorLogger = new Logger('StripeConnectExceptionFilter');

/** A JSON answer written straight to the socket. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(json),
  });
  res.end(json);
}

/** An error answered in the library's error shape (logged as the library's filter logs it). */
export function sendError(res: ServerResponse, error: unknown): void {
  const body = stripeConnectErrorBody(error, errorLogger);
  if (res.headersSent) {
    res.end();
    return;
  }
  sendJson(res, body.statusCode, body);
}

/** A delivery's raw body verified, stored and processed, answered as the controller answers it. */
export function answerDelivery(
  webhooks: WebhooksService,
  kind: WebhookEndpointKind,
  rawBody: Buffer,
  signatureHeader: string | string[] | undefined,
  res: ServerResponse,
): void {
  const signature = Array.isArray(signatureHeader) ? signatureHeader.join(', ') : signatureHeader;
  webhooks.receive(kind, rawBody, signature).then(
    ({ event, outcome }) => {
      try {
        sendJson(res, 200, webhookAnswer(event.id, outcome));
      } catch (error) {
        sendError(res, error);
      }
    },
    (error: unknown) => sendError(res, error),
  );
}

/** The endpoint kind of each webhook path (the module lists the platform endpoint's path first). */
export function webhookKinds(
  prefixes: StripeConnectRoutePrefixes,
): Map<string, WebhookEndpointKind> {
  const [platform, connect] = prefixes.webhooks;
  return new Map<string, WebhookEndpointKind>([
    [platform, 'platform'],
    [connect, 'connect'],
  ]);
}

@Injectable()
export class WebhooksFastPath implements NestMiddleware {
  private readonly kinds: Map<string, WebhookEndpointKind>;

  constructor(
    private readonly webhooks: WebhooksService,
    @Inject(STRIPE_CONNECT_ROUTE_PREFIXES) prefixes: StripeConnectRoutePrefixes,
  ) {
    this.kinds = webhookKinds(prefixes);
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
    answerDelivery(this.webhooks, kind, rawBody, req.headers['stripe-signature'], res);
  }
}
