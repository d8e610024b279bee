/**
 * How a delivery reaches the library: the `'server'` intake (the default: taken on the HTTP server before
 * Express) and the `'express'` intake (the host's body parser and middleware, then the library's) answer every
 * delivery alike, edges included (signature, body not JSON, too large, empty, wrong content type, query
 * string, other methods and paths), in a host of its own that imports `StripeConnectModule`. The server intake
 * needs no `rawBody` from the host, and the host's middleware sees no delivery; it sees everything else.
 */
import type { INestApplication } from '@nestjs/common';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Customer,
  StripeEvent,
  type StripeConnectModuleOptions,
} from '../src/stripe-connect/index.js';
import type { StripeSandbox } from '../src/stripe-sandbox/index.js';
import { createLibraryHost } from './support/library-host.js';
import { startSandbox } from './support/sandbox.js';
import { deliver, eventOf } from './support/stripe-events.js';

const PLATFORM = '/stripe/webhooks';
const CONNECT = '/stripe/webhooks/connect';
const SECRET = 'whsec_intake';

interface Host {
  app: INestApplication;
  /** Requests the host's own middleware saw. */
  seen: string[];
}

/** Warn lines the apps logged (Nest's loggers are static: the last app's logger takes both apps' lines). */
const warnings: string[] = [];

async function startHost(
  sandbox: StripeSandbox,
  intake: StripeConnectModuleOptions['webhookIntake'],
  rawBody: boolean,
): Promise<Host> {
  const app = await createLibraryHost(
    {
      secretKey: 'sk_test_intake',
      apiBase: sandbox.url,
      webhookSecrets: [SECRET],
      connectWebhookSecrets: [SECRET],
      webhookIntake: intake,
    },
    {
      rawBody,
      logger: {
        log: () => undefined,
        error: () => undefined,
        warn: (message: unknown) => void warnings.push(String(message)),
      },
    },
  );
  const seen: string[] = [];
  app.use((req: { method: string; url: string }, _res: unknown, next: () => void) => {
    seen.push(`${req.method} ${req.url}`);
    next();
  });
  await app.listen(0, '127.0.0.1');
  return { app, seen };
}

const customerOf = (id: string) =>
  ({
    id,
    object: 'customer',
    email: `${id}@example.com`,
    livemode: false,
    currency: 'usd',
  }) as Stripe.Customer;

/** A raw POST with the body written in pieces (chunked: no Content-Length), answered as status and JSON. */
function postChunked(
  app: INestApplication,
  path: string,
  pieces: Buffer[],
  headers: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const { port } = (app.getHttpServer() as { address(): AddressInfo }).address();
  return new Promise((resolve, reject) => {
    const call = httpRequest(
      { host: '127.0.0.1', port, path, method: 'POST', headers },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
          }),
        );
      },
    );
    call.on('error', reject);
    for (const piece of pieces) call.write(piece);
    call.end();
  });
}

describe('webhook intake', () => {
  let sandbox: StripeSandbox;
  let server: Host;
  let viaExpress: Host;

  beforeAll(async () => {
    ({ sandbox } = await startSandbox());
    // The server intake needs no raw body from the host; the Express intake needs the host's.
    server = await startHost(sandbox, undefined, false);
    viaExpress = await startHost(sandbox, 'express', true);
  });
  afterAll(async () => {
    await server?.app.close();
    await viaExpress?.app.close();
    await sandbox?.close();
  });

  const both = () => [server, viaExpress];
  const stored = (host: Host, id: string) =>
    host.app.get(DataSource).getRepository(StripeEvent).findOneBy({ id });

  it('stores and answers a delivery on either intake; the host middleware sees it only through Express', async () => {
    for (const [index, host] of both().entries()) {
      host.seen.length = 0;
      const event = eventOf('customer.updated', customerOf(`cus_intake_${index}`));
      const answer = await deliver(host.app, PLATFORM, event, SECRET).expect(200);
      expect(answer.body).toEqual({ received: true, id: event.id, outcome: 'processed' });
      expect(answer.headers['content-type']).toMatch(/^application\/json/);
      const again = await deliver(host.app, PLATFORM, event, SECRET).expect(200);
      expect(again.body).toEqual({ received: true, id: event.id, outcome: 'duplicate' });
      expect(await stored(host, event.id)).toMatchObject({ status: 'processed', attempts: 1 });
      const customer = await host.app
        .get(DataSource)
        .getRepository(Customer)
        .findOneByOrFail({ id: `cus_intake_${index}` });
      expect(customer.email).toBe(`cus_intake_${index}@example.com`);
    }
    expect(server.seen).toEqual([]);
    expect(viaExpress.seen).toEqual([`POST ${PLATFORM}`, `POST ${PLATFORM}`]);

    // Everything else still goes through the host's middleware.
    await request(server.app.getHttpServer()).get('/connect/accounts').expect(401);
    expect(server.seen).toEqual(['GET /connect/accounts']);
  });

  it('answers the same refusals on both intakes, in the library shape, and logs why', async () => {
    const event = eventOf('customer.updated', customerOf('cus_intake_refused'));
    const probes: [string, (host: Host) => request.Test, number, string][] = [
      [
        'no signature',
        (host) => deliver(host.app, CONNECT, event, SECRET, { signature: null }),
        400,
        'invalid_signature',
      ],
      [
        'another secret',
        (host) => deliver(host.app, CONNECT, event, 'whsec_someone_else'),
        400,
        'invalid_signature',
      ],
      [
        'a changed body',
        (host) => deliver(host.app, CONNECT, event, SECRET, { body: '{"id":"evt_other"}' }),
        400,
        'invalid_signature',
      ],
      [
        'a signed body that is not JSON',
        (host) => deliver(host.app, CONNECT, '{"id": "evt_1",', SECRET),
        400,
        'invalid_payload',
      ],
      [
        'too large',
        (host) =>
          deliver(
            host.app,
            PLATFORM,
            eventOf('customer.updated', {
              ...customerOf('cus_intake_big'),
              description: 'x'.repeat(200_000),
            }),
            SECRET,
          ),
        413,
        'payload_too_large',
      ],
      [
        'a text body',
        (host) =>
          request(host.app.getHttpServer())
            .post(PLATFORM)
            .set('Content-Type', 'text/plain')
            .set('Stripe-Signature', 't=1,v1=abc')
            .send(JSON.stringify(event)),
        400,
        'invalid_payload',
      ],
      [
        'no body',
        (host) =>
          request(host.app.getHttpServer()).post(CONNECT).set('Stripe-Signature', 't=1,v1=abc'),
        400,
        'invalid_payload',
      ],
      ['a GET', (host) => request(host.app.getHttpServer()).get(PLATFORM), 404, 'not_found'],
      [
        'a path under the endpoint',
        (host) => deliver(host.app, `${PLATFORM}/elsewhere`, event, SECRET),
        404,
        'not_found',
      ],
    ];
    for (const host of both()) {
      warnings.length = 0;
      for (const [name, probe, status, code] of probes) {
        const response = await probe(host);
        expect({ name, status: response.status }).toEqual({ name, status });
        expect(Object.keys(response.body as object).sort()).toEqual([
          'code',
          'message',
          'statusCode',
        ]);
        expect(response.body).toMatchObject({ statusCode: status, code });
      }
      for (const reason of [
        'missing_signature',
        'no_matching_signature',
        'not_json',
        'unsupported_content_type',
        'empty_body',
        'payload_too_large',
      ]) {
        expect(warnings.join('\n')).toContain(reason);
      }
    }
    expect(await stored(server, event.id)).toBeNull();
    expect(await stored(viaExpress, event.id)).toBeNull();
  });

  it('takes a query string, a charset, a chunked body; refuses a chunked body too large or empty', async () => {
    server.seen.length = 0;
    const event = eventOf('customer.updated', customerOf('cus_intake_query'));
    const call = deliver(server.app, PLATFORM, event, SECRET);
    call.url = `${call.url}?source=test`;
    expect((await call.expect(200)).body).toMatchObject({ id: event.id, outcome: 'processed' });

    const payload = JSON.stringify(eventOf('customer.updated', customerOf('cus_intake_chunked')));
    const signature = new Stripe('sk_test_signer').webhooks.generateTestHeaderString({
      payload,
      secret: SECRET,
    });
    const bytes = Buffer.from(payload);
    const chunked = await postChunked(
      server.app,
      PLATFORM,
      [bytes.subarray(0, 10), bytes.subarray(10, 200), bytes.subarray(200)],
      { 'Content-Type': 'application/json; charset=UTF-8', 'Stripe-Signature': signature },
    );
    expect(chunked).toMatchObject({ status: 200, body: { outcome: 'processed' } });

    const piece = Buffer.alloc(40_000, 'x');
    const tooLarge = await postChunked(server.app, PLATFORM, [piece, piece, piece], {
      'Content-Type': 'application/json',
      'Stripe-Signature': signature,
    });
    expect(tooLarge).toMatchObject({ status: 413, body: { code: 'payload_too_large' } });

    const empty = await postChunked(server.app, CONNECT, [], {
      'Content-Type': 'application/json',
      'Transfer-Encoding': 'chunked',
      'Stripe-Signature': signature,
    });
    expect(empty).toMatchObject({ status: 400, body: { code: 'invalid_payload' } });
    expect(server.seen).toEqual([]);
  });
});
