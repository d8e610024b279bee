import {
  Controller,
  Headers,
  HttpCode,
  HttpException,
  HttpStatus,
  Post,
  Req,
  UseFilters,
  type Type,
} from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { StripeConnectExceptionFilter } from '../common/stripe-connect-exception.filter.js';
import { StripeConnectPublic } from '../common/stripe-connect-public.decorator.js';
import { InvalidWebhookPayloadError } from '../common/stripe-connect.errors.js';
import {
  WebhooksService,
  type EventOutcome,
  type WebhookEndpointKind,
} from './webhooks.service.js';

export interface WebhookPaths {
  /** Platform events; default `/stripe/webhooks`. */
  platform: string;
  /** Connected-account events; default `/stripe/webhooks/connect`. */
  connect: string;
}

export const DEFAULT_WEBHOOK_PATHS: WebhookPaths = {
  platform: '/stripe/webhooks',
  connect: '/stripe/webhooks/connect',
};

class WebhookAck {
  received: true;
  id: string;
  outcome: EventOutcome;
}

/** The answer to a delivery, by its outcome: the acknowledgement, or the error that says why not (500, 503). */
export function webhookAnswer(id: string, outcome: EventOutcome): WebhookAck {
  if (outcome === 'failed') {
    throw new HttpException(
      {
        statusCode: 500,
        code: 'event_processing_failed',
        message: `Processing of ${id} failed; it is kept for redelivery`,
      },
      HttpStatus.INTERNAL_SERVER_ERROR,
    );
  }
  if (outcome === 'busy') {
    throw new HttpException(
      {
        statusCode: 503,
        code: 'event_in_progress',
        message: `${id} is still being processed by another delivery`,
      },
      HttpStatus.SERVICE_UNAVAILABLE,
    );
  }
  return { received: true, id, outcome };
}

/** The two webhook endpoints, at the paths the module was registered with. */
export function createWebhooksController(paths: WebhookPaths): Type {
  @ApiTags('webhooks')
  @Controller()
  @StripeConnectPublic()
  @UseFilters(StripeConnectExceptionFilter)
  class WebhooksController {
    constructor(readonly webhooks: WebhooksService) {}

    @Post(paths.platform)
    @HttpCode(200)
    @ApiOperation({
      summary: 'Platform events from Stripe, authenticated by their Stripe-Signature',
    })
    @ApiHeader({ name: 'Stripe-Signature', required: true })
    @ApiOkResponse({ description: 'Stored and processed (or processed before)', type: WebhookAck })
    platform(
      @Req() req: Request,
      @Headers('stripe-signature') signature?: string,
    ): Promise<WebhookAck> {
      return this.deliver('platform', req, signature);
    }

    @Post(paths.connect)
    @HttpCode(200)
    @ApiOperation({
      summary: 'Connected-account events from Stripe, authenticated by their Stripe-Signature',
    })
    @ApiHeader({ name: 'Stripe-Signature', required: true })
    @ApiOkResponse({ description: 'Stored and processed (or processed before)', type: WebhookAck })
    connect(
      @Req() req: Request,
      @Headers('stripe-signature') signature?: string,
    ): Promise<WebhookAck> {
      return this.deliver('connect', req, signature);
    }

    async deliver(
      kind: WebhookEndpointKind,
      req: Request,
      signature: string | undefined,
    ): Promise<WebhookAck> {
      const rawBody = (req as Request & { rawBody?: Buffer }).rawBody;
      if (!Buffer.isBuffer(rawBody)) throw this.noRawBody(kind, req);
      const { event, outcome } = await this.webhooks.receive(kind, rawBody, signature);
      return webhookAnswer(event.id, outcome);
    }

    /**
     * No raw body: none was sent, or not as JSON (the host's parsers keep the raw bytes of JSON bodies only),
     * both the caller's fault (400); or the host created the app without `rawBody: true` (its fault).
     */
    noRawBody(kind: WebhookEndpointKind, req: Request): Error {
      const length = Number(req.headers['content-length'] ?? 0);
      const chunked = req.headers['transfer-encoding'] !== undefined;
      if (!chunked && !(length > 0)) {
        this.webhooks.rejected(kind, 'empty_body', null);
        return new InvalidWebhookPayloadError('The body is empty', 'empty_body');
      }
      if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
        this.webhooks.rejected(kind, 'unsupported_content_type', null);
        return new InvalidWebhookPayloadError(
          'Stripe events are sent as application/json',
          'unsupported_content_type',
        );
      }
      return new Error('Stripe webhooks need the raw body: create the app with { rawBody: true }');
    }
  }
  return WebhooksController;
}
