/**
 * The `'server'` webhook intake (the default): Stripe's deliveries taken on the HTTP server itself, before
 * Express sees them. Express's router, the host's JSON parser (which parses a body the signature check must
 * read as raw bytes and then parses again), `type-is`, `on-finished` and Nest's middleware chain cost about as
 * much CPU per delivery as storing the event (bench/PROFILE.md). Installed once the application boots, on an
 * Express app without a global prefix or URI versioning, as the server's first `request` listener: a POST to
 * exactly one of the two webhook paths (a query string allowed) with a JSON body (`application/json`, UTF-8,
 * not compressed) is read here with the `webhookBodyLimit` (413 above it, in the library's shape), verified
 * (HMAC over the raw bytes), parsed once, stored and processed by `WebhooksService.receive`, and answered as
 * the controller answers. Every other request, and every delivery this path does not take as it is (another
 * content type, an empty body, a compressed one, a trailing slash), goes to Express unchanged: the host's
 * parser, the library's middleware and the controller answer it as before.
 */
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import {
  STRIPE_CONNECT_OPTIONS,
  STRIPE_CONNECT_ROUTE_PREFIXES,
  type StripeConnectRoutePrefixes,
} from '../stripe-connect.constants.js';
import type { ResolvedStripeConnectOptions } from '../stripe-connect.options.js';
import { answerDelivery, sendJson, webhookKinds } from './webhooks.fast-path.middleware.js';
import { WebhooksService, type WebhookEndpointKind } from './webhooks.service.js';

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/** `application/json`, with parameters or none. */
const JSON_TYPE = /^application\/json[\t ]*(;|$)/i;
const CHARSET = /;[\t ]*charset[\t ]*=[\t ]*"?([^";\t ]*)/i;

/** Servers whose listener is installed (an app booted twice on one server keeps one). */
const installed = new WeakSet<Server>();

/** True when the body is JSON as the host's JSON parser would take it: UTF-8 and not compressed. */
function plainJson(req: IncomingMessage): boolean {
  const type = req.headers['content-type'];
  if (!type || !JSON_TYPE.test(type)) return false;
  const charset = CHARSET.exec(type)?.[1].toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') return false;
  const encoding = req.headers['content-encoding'];
  return encoding === undefined || encoding.toLowerCase() === 'identity';
}

/** Some body was announced (a positive length, or a chunked one). */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return length === undefined ? req.headers['transfer-encoding'] !== undefined : length !== '0';
}

@Injectable()
export class WebhooksServerIntake implements OnApplicationBootstrap {
  private readonly kinds: Map<string, WebhookEndpointKind>;

  constructor(
    private readonly webhooks: WebhooksService,
    private readonly adapterHost: HttpAdapterHost,
    private readonly appConfig: ApplicationConfig,
    @Inject(STRIPE_CONNECT_OPTIONS) private readonly options: ResolvedStripeConnectOptions,
    @Inject(STRIPE_CONNECT_ROUTE_PREFIXES) prefixes: StripeConnectRoutePrefixes,
  ) {
    this.kinds = webhookKinds(prefixes);
  }

  onApplicationBootstrap(): void {
    const adapter = this.adapterHost.httpAdapter;
    // A global prefix or versioning moves the routes: Express (the library's middleware) finds them.
    if (this.options.webhookIntake !== 'server' || adapter?.getType() !== 'express') return;
    if (this.appConfig.getGlobalPrefix() || this.appConfig.getVersioning()) return;
    const server = adapter.getHttpServer() as Server | undefined;
    if (!server || typeof server.listeners !== 'function' || installed.has(server)) return;
    installed.add(server);
    const others = server.listeners('request') as RequestListener[];
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (this.take(req, res)) return;
      for (const listener of others) listener.call(server, req, res);
    });
  }

  /** Takes the request when it is a delivery this path answers as it is; false passes it on to Express. */
  private take(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'POST') return false;
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const kind = this.kinds.get(query < 0 ? url : url.slice(0, query));
    if (!kind || !hasBody(req) || !plainJson(req)) return false;
    this.read(kind, req, res);
    return true;
  }

  private read(kind: WebhookEndpointKind, req: IncomingMessage, res: ServerResponse): void {
    const limit = this.options.webhookBodyLimit;
    if (Number(req.headers['content-length']) > limit) {
      this.tooLarge(kind, req, res);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > limit) {
        refused = true;
        chunks.length = 0;
        this.tooLarge(kind, req, res);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (refused) return;
      // An empty (chunked) body is refused by the signature check, in its order (header first), as Express's.
      const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
      answerDelivery(this.webhooks, kind, body, req.headers['stripe-signature'], res);
    });
    // An aborted upload is answered by nobody: its socket is gone.
    req.on('error', () => undefined);
  }

  /** 413 as the host's JSON parser answers it (through the library's edge filter); the rest is discarded. */
  private tooLarge(kind: WebhookEndpointKind, req: IncomingMessage, res: ServerResponse): void {
    this.webhooks.rejected(kind, 'payload_too_large', null);
    req.resume();
    sendJson(res, 413, {
      statusCode: 413,
      message: 'request entity too large',
      code: 'payload_too_large',
    });
  }
}
