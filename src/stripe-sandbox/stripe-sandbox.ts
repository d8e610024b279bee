/**
 * The Stripe sandbox: a stateful, offline stand-in for Stripe's API that the official SDK talks to over HTTP
 * (DESIGN.md section 7). It speaks Stripe's wire format: form-encoded requests in bracket notation, bearer or
 * basic key authentication, `Stripe-Account` scoping, idempotency keys, `expand[]`, list pagination, Stripe's
 * error shapes, ids and status codes. It keeps a clock of its own that tests advance, and delivers signed
 * events to registered webhook endpoints, retrying failures on that clock.
 *
 * It imports neither the library nor the host: its only shared vocabulary with them is Stripe's API.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeForm, FormDecodeError, type FormObject, type FormValue } from './form-codec.js';
import { boundaryOf, parseMultipart, type UploadedFile } from './multipart.js';
import { SandboxClock } from './sandbox.clock.js';
import { invalidRequest, SandboxError } from './sandbox.errors.js';
import { newId, randomToken } from './sandbox.ids.js';
import { seedFromBody } from './sandbox.seed.js';
import { SandboxStore, type ScheduledTask, type StoredObject } from './sandbox.store.js';
import { WebhookDispatcher, type WebhookEndpointConfig } from './webhook-dispatcher.js';
import { registerAccountLinks } from './resources/account-links.resource.js';
import { registerAccounts } from './resources/accounts.resource.js';
import { registerApplicationFees } from './resources/application-fees.resource.js';
import { registerBalance } from './resources/balance.resource.js';
import { registerCapabilities } from './resources/capabilities.resource.js';
import { registerCharges } from './resources/charges.resource.js';
import { registerCustomers } from './resources/customers.resource.js';
import { registerEvents } from './resources/events.resource.js';
import { registerExternalAccounts } from './resources/external-accounts.resource.js';
import { registerFiles } from './resources/files.resource.js';
import { registerLoginLinks } from './resources/login-links.resource.js';
import { registerOAuth } from './resources/oauth.resource.js';
import { registerPaymentIntents } from './resources/payment-intents.resource.js';
import { registerPaymentMethods } from './resources/payment-methods.resource.js';
import { registerPayouts } from './resources/payouts.resource.js';
import { registerPersons } from './resources/persons.resource.js';
import { registerRefunds } from './resources/refunds.resource.js';
import { registerTransfers } from './resources/transfers.resource.js';
import { registerWebhookEndpoints } from './resources/webhook-endpoints.resource.js';

export const SANDBOX_API_VERSION = '2026-10-28.endive';
/** Fields that hold the id of another object, which `expand[]` may replace by that object. */
const EXPANDABLE_FIELDS = new Set([
  'account',
  'application_fee',
  'balance_transaction',
  'charge',
  'customer',
  'default_payment_method',
  'default_source',
  'destination',
  'destination_payment',
  'latest_charge',
  'on_behalf_of',
  'payment_intent',
  'payment_method',
  'source_transaction',
  'transfer',
]);
const MAX_BODY_BYTES = 2 * 1024 * 1024;

/** Every resource the sandbox serves, one file each under `resources/`: each registers its routes. */
const RESOURCES: ((sandbox: StripeSandbox) => void)[] = [
  registerAccounts,
  registerAccountLinks,
  registerLoginLinks,
  registerOAuth,
  registerCapabilities,
  registerPersons,
  registerExternalAccounts,
  registerCustomers,
  registerEvents,
  registerFiles,
  registerPaymentMethods,
  registerPaymentIntents,
  registerCharges,
  registerRefunds,
  registerApplicationFees,
  registerBalance,
  registerTransfers,
  registerPayouts,
  registerWebhookEndpoints,
];

export interface StripeSandboxOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. The sandbox never listens beyond 127.0.0.1. */
  port?: number;
  /** Journal file keeping the state across restarts; in memory when absent. */
  stateFile?: string;
  /** Endpoints configured in-process (besides those registered through `/v1/webhook_endpoints`). */
  webhookEndpoints?: WebhookEndpointConfig[];
  /** Where the sandbox reports what it does; silent by default. */
  log?: (line: string) => void;
}

export interface RequestContext {
  method: string;
  path: string;
  pathParams: Record<string, string>;
  params: FormObject;
  /** Files of a multipart request (only on routes that take them). */
  files: UploadedFile[];
  /** `Stripe-Account`: the connected account the request acts as; null for the platform. */
  scope: string | null;
  requestId: string;
  idempotencyKey: string | null;
  sandbox: StripeSandbox;
}

type Handler = (ctx: RequestContext) => unknown;
type Send = (status: number, body: unknown, headers?: Record<string, string>) => void;

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
  /** Top-level parameters the endpoint accepts (`expand` always); anything else is `parameter_unknown`. */
  params: Set<string>;
  /** Whether the endpoint takes `multipart/form-data` (file uploads). */
  multipart: boolean;
}

export type Renderer = (stored: StoredObject, ctx: RenderContext) => Record<string, unknown>;
export interface RenderContext {
  scope: string | null;
}

type TaskHandler = (task: ScheduledTask) => Promise<void> | void;

/** A browser-facing page of the sandbox (hosted onboarding, OAuth): it answers a redirect. */
export type PageHandler = (match: RegExpExecArray, query: URLSearchParams) => { redirect: string };

/**
 * An injected failure: the next `count` requests matching `method` and `path` answer `status` instead of
 * being served, or (`after`) are served, their work done and kept for idempotent replay, and then answer
 * `status` or (`drop`) lose their connection: what a client sees when Stripe's answer is lost.
 */
export interface Fault {
  method?: string;
  path: string;
  status: 429 | 500 | 502 | 503;
  count: number;
  after?: boolean;
  drop?: boolean;
}

export class StripeSandbox {
  readonly store: SandboxStore;
  readonly clock: SandboxClock;
  readonly webhooks: WebhookDispatcher;
  private readonly routes: Route[] = [];
  private readonly renderers = new Map<string, Renderer>();
  private readonly prefixes = new Map<string, string>();
  private readonly taskHandlers = new Map<string, TaskHandler>();
  private readonly pages: { method: string; pattern: RegExp; handler: PageHandler }[] = [];
  private readonly inflightIdempotency = new Set<string>();
  private faults: Fault[] = [];
  private server?: Server;
  private ticker?: NodeJS.Timeout;
  private running?: Promise<void>;
  readonly log: (line: string) => void;

  private constructor(readonly options: StripeSandboxOptions) {
    this.log = options.log ?? (() => undefined);
    this.store = new SandboxStore(options.stateFile);
    this.clock = new SandboxClock(this.store);
    this.webhooks = new WebhookDispatcher(this, options.webhookEndpoints ?? []);
    for (const register of RESOURCES) register(this);
  }

  /** Starts a sandbox on 127.0.0.1. */
  static async start(options: StripeSandboxOptions = {}): Promise<StripeSandbox> {
    const sandbox = new StripeSandbox(options);
    await sandbox.listen(options.port ?? 0);
    return sandbox;
  }

  /** `http://127.0.0.1:<port>`: the `STRIPE_API_BASE` of an app using this sandbox. */
  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('The sandbox is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  get port(): number {
    return (this.server?.address() as AddressInfo).port;
  }

  /** The platform account this sandbox plays (`GET /v1/account` without `Stripe-Account`). */
  get platformAccountId(): string {
    let id = this.store.getMeta<string>('platformAccountId');
    if (!id) {
      id = newId('acct');
      this.store.setMeta('platformAccountId', id);
    }
    return id;
  }

  // ---- registration, used by the resources

  route(
    method: string,
    path: string,
    handler: Handler,
    params: string[] = [],
    options: { multipart?: boolean } = {},
  ): void {
    const keys: string[] = [];
    const pattern = new RegExp(
      `^${path.replace(/:([a-z_]+)/g, (_m, key: string) => {
        keys.push(key);
        return '([^/]+)';
      })}$`,
    );
    this.routes.push({
      method,
      pattern,
      keys,
      handler,
      params: new Set([...params, 'expand']),
      multipart: options.multipart ?? false,
    });
  }

  /** How objects of a kind are rendered, and the id prefixes that name them (for `expand[]`). */
  renderer(kind: string, prefixes: string[], render: Renderer): void {
    this.renderers.set(kind, render);
    for (const prefix of prefixes) this.prefixes.set(prefix, kind);
  }

  /** Registers a browser-facing page (no API key: the URL itself is the secret, as Stripe's are). */
  page(method: string, pattern: RegExp, handler: PageHandler): void {
    this.pages.push({ method, pattern, handler });
  }

  onTask(type: string, handler: TaskHandler): void {
    this.taskHandlers.set(type, handler);
  }

  render(stored: StoredObject, ctx: RenderContext): Record<string, unknown> {
    const render = this.renderers.get(stored.kind);
    if (!render) throw new Error(`No renderer for ${stored.kind}`);
    return render(stored, ctx);
  }

  // ---- events

  /**
   * Records the event Stripe would send for a change and queues its deliveries. `scope` is the connected
   * account the event is about (null for a platform event).
   */
  emit(
    type: string,
    object: Record<string, unknown>,
    options: {
      scope: string | null;
      previousAttributes?: Record<string, unknown>;
      request?: { id: string | null; idempotency_key: string | null };
    },
  ): StoredObject {
    const data: Record<string, unknown> = { object };
    if (options.previousAttributes) data.previous_attributes = options.previousAttributes;
    const event = {
      id: newId('evt'),
      object: 'event',
      account: options.scope ?? undefined,
      api_version: SANDBOX_API_VERSION,
      created: this.clock.now(),
      data,
      livemode: false,
      pending_webhooks: 0,
      request: options.request ?? { id: null, idempotency_key: null },
      type,
    };
    const stored = this.store.insert('event', options.scope, event.id, event);
    this.webhooks.dispatch(stored);
    return stored;
  }

  // ---- time

  /** Moves the clock forward, runs everything that falls due, and waits for the deliveries that result. */
  async advanceClock(seconds: number): Promise<number> {
    if (!Number.isInteger(seconds) || seconds < 0) {
      throw invalidRequest('seconds must be a non-negative integer', 'seconds');
    }
    this.clock.advance(seconds);
    do {
      await this.runDueTasks();
      await this.webhooks.idle();
    } while (this.store.due(this.clock.now()).length);
    return this.clock.now();
  }

  /** Runs due tasks, one pass at a time, until none is due (tasks may schedule more). */
  runDueTasks(): Promise<void> {
    if (this.running) return this.running;
    const run = async (): Promise<void> => {
      for (
        let due = this.store.due(this.clock.now());
        due.length;
        due = this.store.due(this.clock.now())
      ) {
        for (const task of due) {
          this.store.complete(task.id);
          try {
            await this.taskHandlers.get(task.type)?.(task);
          } catch (error) {
            this.log(
              `task ${task.type} failed: ${error instanceof Error ? error.message : String(error)}`,
            );
          }
        }
      }
    };
    this.running = run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  scheduleTask(type: string, at: number, payload: Record<string, unknown>): void {
    this.store.schedule({ id: randomToken(16), at, type, payload });
  }

  // ---- HTTP

  private listen(port: number): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        this.log(`unhandled: ${error instanceof Error ? error.stack : String(error)}`);
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    this.server.keepAliveTimeout = 30_000;
    // Real time passing makes work fall due too (retries while a developer runs the app).
    this.ticker = setInterval(() => void this.runDueTasks(), 1000);
    this.ticker.unref();
    return new Promise((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
  }

  async close(): Promise<void> {
    if (this.ticker) clearInterval(this.ticker);
    await this.webhooks.idle();
    await new Promise<void>((resolve) => {
      if (!this.server) return resolve();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** Answers a request: a sandbox page, a control route, or the API. */
  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = `req_${randomToken(14)}`;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    let send = this.responder(req, res, requestId);
    try {
      const raw = await readBody(req);
      if (this.servePage(method, url, res, requestId)) return;
      if (url.pathname.startsWith('/_sandbox/')) {
        send(200, await this.handleControl(method, url.pathname, raw, req.headers['content-type']));
        return;
      }
      authenticate(req.headers.authorization);
      const matched = this.match(method, url.pathname);
      const fault = this.takeFault(method, url.pathname);
      if (fault && !fault.after) return sendFault(fault, send, requestId);
      if (fault) send = losingAnswer(fault, send, req, requestId);
      const ctx = this.contextFor(req, method, url, raw, matched, requestId);
      const run = () => this.execute(matched.route, ctx);
      const result = ctx.idempotencyKey
        ? await this.idempotent(ctx, ctx.idempotencyKey, run)
        : { ...(await run()), replayed: false };
      send(result.status, result.body, result.replayed ? { 'Idempotent-Replayed': 'true' } : {});
    } catch (error) {
      this.sendError(error, send, `${method} ${url.pathname}`, requestId);
    }
  }

  /** Sends JSON with Stripe's headers, dated by the sandbox's clock. */
  private responder(req: IncomingMessage, res: ServerResponse, requestId: string): Send {
    return (status, body, headers = {}) => {
      const text = JSON.stringify(body);
      res.writeHead(status, {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(text),
        'Request-Id': requestId,
        // The sandbox's time, as Stripe's servers send theirs: clients date the snapshots they receive by it.
        Date: new Date(this.clock.now() * 1000).toUTCString(),
        'Stripe-Version': req.headers['stripe-version'] ?? SANDBOX_API_VERSION,
        ...headers,
      });
      res.end(text);
    };
  }

  /** Serves a browser-facing page (a redirect) when one matches; answers whether one did. */
  private servePage(method: string, url: URL, res: ServerResponse, requestId: string): boolean {
    for (const page of this.pages) {
      const found = page.method === method ? page.pattern.exec(url.pathname) : null;
      if (!found) continue;
      const { redirect } = page.handler(found, url.searchParams);
      res.writeHead(303, { Location: redirect, 'Request-Id': requestId, 'Content-Length': 0 });
      res.end();
      return true;
    }
    return false;
  }

  /** The request as a route sees it: account scope, parameters (checked against the route's), files. */
  private contextFor(
    req: IncomingMessage,
    method: string,
    url: URL,
    raw: Buffer,
    matched: { route: Route; pathParams: Record<string, string> },
    requestId: string,
  ): RequestContext {
    const scope = this.resolveScope(req.headers['stripe-account']);
    const { params, files } = readParams(
      method,
      url,
      raw,
      req.headers['content-type'] ?? '',
      matched.route,
    );
    for (const name of Object.keys(params)) {
      if (!matched.route.params.has(name)) {
        throw invalidRequest(`Received unknown parameter: ${name}`, name, 'parameter_unknown');
      }
    }
    const idempotencyKey =
      method === 'POST' ? ((req.headers['idempotency-key'] as string | undefined) ?? null) : null;
    return {
      method,
      path: url.pathname,
      pathParams: matched.pathParams,
      params,
      files,
      scope,
      requestId,
      idempotencyKey,
      sandbox: this,
    };
  }

  /** Stripe's error answer for a failed request; anything unexpected is logged and a 500. */
  private sendError(error: unknown, send: Send, request: string, requestId: string): void {
    if (error instanceof SandboxError) return send(error.status, error.toBody(requestId));
    if (error instanceof FormDecodeError)
      return send(400, invalidRequest(error.message).toBody(requestId));
    this.log(`error on ${request}: ${error instanceof Error ? error.stack : String(error)}`);
    const unknown = new SandboxError(500, 'api_error', 'An unknown error occurred in the sandbox.');
    send(500, unknown.toBody(requestId));
  }

  private async execute(
    route: Route,
    ctx: RequestContext,
  ): Promise<{ status: number; body: unknown }> {
    try {
      const body = await route.handler(ctx);
      return { status: 200, body: this.expand(body, ctx) };
    } catch (error) {
      if (error instanceof SandboxError)
        return { status: error.status, body: error.toBody(ctx.requestId) };
      throw error;
    }
  }

  /**
   * Stripe's idempotency: the first answer to a key is kept (per account and key) and replayed for the same
   * parameters; other parameters are a 400; the same key while the first is running is a 409.
   */
  private async idempotent(
    ctx: RequestContext,
    key: string,
    run: () => Promise<{ status: number; body: unknown }>,
  ): Promise<{ status: number; body: unknown; replayed: boolean }> {
    const scopedKey = `${ctx.scope ?? 'platform'}:${key}`;
    const fingerprint = createHash('sha256')
      .update(`${ctx.method} ${ctx.path} ${canonicalJson(ctx.params)}`)
      .digest('hex');
    const existing = this.store.getIdempotency(scopedKey);
    if (existing) {
      if (existing.fingerprint !== fingerprint) {
        throw new SandboxError(
          400,
          'idempotency_error',
          `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        );
      }
      return { status: existing.status, body: existing.body, replayed: true };
    }
    if (this.inflightIdempotency.has(scopedKey)) {
      throw new SandboxError(
        409,
        'idempotency_error',
        'There is currently another in-progress request using this Stripe-Account, Idempotency-Key, and API key. Please try again later.',
      );
    }
    this.inflightIdempotency.add(scopedKey);
    try {
      const result = await run();
      if (result.status < 500) {
        this.store.putIdempotency(scopedKey, {
          fingerprint,
          ...result,
          createdAt: this.clock.now(),
        });
      }
      return { ...result, replayed: false };
    } finally {
      this.inflightIdempotency.delete(scopedKey);
    }
  }

  private match(
    method: string,
    path: string,
  ): { route: Route; pathParams: Record<string, string> } {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const found = route.pattern.exec(path);
      if (!found) continue;
      const pathParams: Record<string, string> = {};
      route.keys.forEach((key, i) => (pathParams[key] = decodeURIComponent(found[i + 1])));
      return { route, pathParams };
    }
    throw new SandboxError(
      404,
      'invalid_request_error',
      `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
    );
  }

  /** Makes the next requests to a path fail (rate limit or server error), as `POST /_sandbox/faults` does. */
  injectFault(fault: Fault): void {
    this.faults.push({ ...fault, method: fault.method?.toUpperCase() });
  }

  private faultFromBody(raw: Buffer): Record<string, unknown> {
    let body: Partial<Fault>;
    try {
      body = JSON.parse(raw.toString('utf8') || '{}') as Partial<Fault>;
    } catch {
      throw invalidRequest('The body must be JSON: { "path", "method"?, "status", "count"? }');
    }
    if (typeof body.path !== 'string' || !body.path.startsWith('/v1/')) {
      throw invalidRequest('path must be a /v1/ path', 'path');
    }
    const status = Number(body.status) as Fault['status'];
    if (![429, 500, 502, 503].includes(status)) {
      throw invalidRequest('status must be 429, 500, 502 or 503', 'status');
    }
    const count = body.count ?? 1;
    if (!Number.isInteger(count) || count < 1 || count > 1000) {
      throw invalidRequest('count must be an integer from 1 to 1000', 'count');
    }
    this.injectFault({
      path: body.path,
      method: body.method,
      status,
      count,
      after: body.after === true,
      drop: body.drop === true,
    });
    return {
      object: 'sandbox_fault',
      path: body.path,
      method: body.method ?? null,
      status,
      count,
      after: body.after === true,
      drop: body.drop === true,
    };
  }

  private takeFault(method: string, path: string): Fault | undefined {
    const fault = this.faults.find((f) => f.path === path && (!f.method || f.method === method));
    if (!fault) return undefined;
    fault.count -= 1;
    if (fault.count <= 0) this.faults = this.faults.filter((f) => f !== fault);
    return fault;
  }

  /** `Stripe-Account` must name a live connected account of this platform. */
  private resolveScope(header: string | string[] | undefined): string | null {
    const value = Array.isArray(header) ? header[0] : header;
    if (!value) return null;
    const account = this.store.get(value);
    if (value === this.platformAccountId) return null;
    if (
      !account ||
      account.kind !== 'account' ||
      (account.data as { deleted?: boolean; deauthorized?: boolean }).deleted ||
      (account.data as { deauthorized?: boolean }).deauthorized
    ) {
      throw new SandboxError(
        403,
        'invalid_request_error',
        `The provided key does not have access to account '${value}' (or that account does not exist). Application access may have been revoked.`,
        { code: 'account_invalid' },
      );
    }
    return value;
  }

  /** `expand[]`: replaces an id at each path by the object it names (`data.` paths inside lists). */
  private expand(body: unknown, ctx: RequestContext): unknown {
    const paths = ctx.params.expand;
    if (paths === undefined) return body;
    const list = Array.isArray(paths) ? paths : [paths];
    for (const path of list) {
      if (typeof path !== 'string' || !path)
        throw invalidRequest('Invalid expand parameter', 'expand');
      this.expandPath(body, path.split('.'), path, ctx);
    }
    return body;
  }

  private expandPath(node: unknown, segments: string[], full: string, ctx: RequestContext): void {
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    const [head, ...rest] = segments;
    if (head === 'data' && Array.isArray(record.data) && record.object === 'list') {
      for (const item of record.data) this.expandPath(item, rest, full, ctx);
      return;
    }
    if (!(head in record))
      throw invalidRequest(`This property cannot be expanded (${full}).`, 'expand');
    const value = record[head];
    if (rest.length) {
      this.expandPath(value, rest, full, ctx);
      return;
    }
    if (!EXPANDABLE_FIELDS.has(head) || (value !== null && typeof value !== 'string')) {
      if (value !== null && typeof value === 'object') return; // already an object
      throw invalidRequest(`This property cannot be expanded (${full}).`, 'expand');
    }
    if (value === null) return;
    const prefix = value.slice(0, value.indexOf('_'));
    const kind = this.prefixes.get(prefix);
    const stored = kind ? this.store.get(value) : undefined;
    if (!kind || !stored || stored.kind !== kind) {
      throw invalidRequest(`This property cannot be expanded (${full}).`, 'expand');
    }
    record[head] = this.render(stored, { scope: ctx.scope });
  }

  /** The sandbox's own routes: its clock. */
  private async handleControl(
    method: string,
    path: string,
    raw: Buffer,
    contentType: string | undefined,
  ): Promise<unknown> {
    if (method === 'GET' && path === '/_sandbox/clock') {
      return { object: 'sandbox_clock', now: this.clock.now() };
    }
    if (method === 'POST' && path === '/_sandbox/clock/advance') {
      const text = raw.toString('utf8');
      let body: Record<string, FormValue | number>;
      try {
        body = contentType?.includes('json')
          ? (JSON.parse(text || '{}') as Record<string, number>)
          : decodeForm(text);
      } catch {
        throw invalidRequest('The body must be JSON or form-encoded: { "seconds": N }');
      }
      const seconds = Number(body.seconds);
      if (
        body.seconds === undefined ||
        body.seconds === '' ||
        !Number.isInteger(seconds) ||
        seconds < 0
      ) {
        throw invalidRequest('seconds must be a non-negative integer', 'seconds');
      }
      return { object: 'sandbox_clock', now: await this.advanceClock(seconds) };
    }
    if (method === 'POST' && path === '/_sandbox/faults') return this.faultFromBody(raw);
    if (method === 'POST' && path === '/_sandbox/seed') return seedFromBody(this, raw);
    throw new SandboxError(
      404,
      'invalid_request_error',
      `Unrecognized sandbox URL (${method}: ${path}).`,
    );
  }
}

/** Answers an injected fault instead of serving the request. */
function sendFault(fault: Fault, send: Send, requestId: string): void {
  const error =
    fault.status === 429
      ? new SandboxError(
          429,
          'invalid_request_error',
          'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
          { code: 'rate_limit' },
        )
      : new SandboxError(
          fault.status,
          'api_error',
          'An unknown error occurred (injected by the sandbox).',
        );
  send(error.status, error.toBody(requestId), { 'Stripe-Should-Retry': 'true' });
}

/** A fault `after` the work: the answer is lost (an error instead, or with `drop` the connection). */
function losingAnswer(fault: Fault, send: Send, req: IncomingMessage, requestId: string): Send {
  return () => {
    if (fault.drop) {
      req.socket.destroy();
      return;
    }
    const error = new SandboxError(
      fault.status,
      'api_error',
      'An unknown error occurred (injected by the sandbox after the work was done).',
    );
    send(error.status, error.toBody(requestId), { 'Stripe-Should-Retry': 'true' });
  };
}

/**
 * A request's parameters: the form body of a POST (or multipart, on routes taking files) with any query
 * string, or the query string of other methods.
 */
function readParams(
  method: string,
  url: URL,
  raw: Buffer,
  contentType: string,
  route: Route,
): { params: FormObject; files: UploadedFile[] } {
  let params: FormObject;
  let files: UploadedFile[] = [];
  if (method === 'POST' && contentType.startsWith('multipart/form-data') && route.multipart) {
    const boundary = boundaryOf(contentType);
    if (!boundary) throw invalidRequest('Invalid multipart request: no boundary');
    ({ params, files } = parseMultipart(raw, boundary));
  } else {
    if (
      raw.length &&
      method === 'POST' &&
      !contentType.startsWith('application/x-www-form-urlencoded')
    ) {
      throw invalidRequest(
        `Invalid request: this endpoint takes application/x-www-form-urlencoded bodies (got ${contentType || 'none'}).`,
      );
    }
    params = decodeForm(method === 'POST' ? raw.toString('utf8') : url.search.slice(1));
  }
  if (method === 'POST' && url.search.length > 1)
    Object.assign(params, decodeForm(url.search.slice(1)));
  return { params, files };
}

function authenticate(header: string | undefined): void {
  let key: string | undefined;
  if (header?.startsWith('Bearer ')) key = header.slice(7).trim();
  else if (header?.startsWith('Basic ')) {
    key = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':')[0];
  }
  if (!key) {
    throw new SandboxError(
      401,
      'invalid_request_error',
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
    );
  }
  if (!/^(sk|rk)_test_\w+$/.test(key)) {
    throw new SandboxError(
      401,
      'invalid_request_error',
      `Invalid API Key provided: ${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`,
      { code: 'api_key_invalid' },
    );
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(invalidRequest('The request body is too large.'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
