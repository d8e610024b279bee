/**
 * The `'server'` intake against the `'express'` intake on raw HTTP, byte for byte: deliveries shaped as a
 * careless or hostile client sends them (an empty chunked body, a malformed or doubled charset, a huge
 * announced length, repeated signature headers, bodies that are JSON but not events, a BOM, pipelined requests
 * on one keep-alive socket, `Expect: 100-continue`, an upload aborted mid-body, a trailing slash, HEAD and
 * OPTIONS) get the same status and error code from both, never a 500.
 */
import type { INestApplication } from '@nestjs/common';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StripeConnectModuleOptions } from '../src/stripe-connect/index.js';
import type { StripeSandbox } from '../src/stripe-sandbox/index.js';
import { createLibraryHost } from './support/library-host.js';
import { startSandbox } from './support/sandbox.js';
import { eventOf } from './support/stripe-events.js';

const PLATFORM = '/stripe/webhooks';
const CONNECT = '/stripe/webhooks/connect';
const SECRET = 'whsec_edges';
const signer = new Stripe('sk_test_signer');

/** Every line the apps logged, at any level. */
const logged: string[] = [];
const capture = (message: unknown, ...rest: unknown[]) =>
  void logged.push([message, ...rest].map((part) => String(part)).join(' '));

async function startHost(
  sandbox: StripeSandbox,
  intake: StripeConnectModuleOptions['webhookIntake'],
): Promise<INestApplication> {
  const app = await createLibraryHost(
    {
      secretKey: 'sk_test_edges',
      apiBase: sandbox.url,
      webhookSecrets: [SECRET],
      connectWebhookSecrets: [SECRET],
      webhookIntake: intake,
    },
    {
      rawBody: true,
      logger: { log: capture, warn: capture, error: capture, debug: capture, verbose: capture },
    },
  );
  await app.listen(0, '127.0.0.1');
  return app;
}

interface Answer {
  status: number;
  code: string | null;
  outcome: string | null;
}

/** Parses the HTTP/1.1 answers in `data` (each with a Content-Length, or the last one up to the close). */
function answersOf(data: Buffer): Answer[] {
  const answers: Answer[] = [];
  let rest = data;
  while (rest.length) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) break;
    const head = rest.subarray(0, end).toString('latin1');
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    const bodyEnd = status < 200 ? end + 4 : length ? end + 4 + Number(length[1]) : rest.length;
    const text = rest.subarray(end + 4, bodyEnd).toString('utf8');
    rest = rest.subarray(bodyEnd);
    if (status === 100) {
      continue;
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      body = {};
    }
    answers.push({
      status,
      code: typeof body.code === 'string' ? body.code : null,
      outcome: typeof body.outcome === 'string' ? body.outcome : null,
    });
  }
  return answers;
}

/** Writes raw bytes (in pieces, a few ms apart) and reads until the server closes or `waitMs` passes. */
function raw(app: INestApplication, pieces: (string | Buffer)[], waitMs = 1500): Promise<Answer[]> {
  const { port } = (app.getHttpServer() as { address(): AddressInfo }).address();
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const done = () => resolve(answersOf(Buffer.concat(chunks)));
    const timer = setTimeout(() => {
      socket.destroy();
      done();
    }, waitMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', () => {
      clearTimeout(timer);
      done();
    });
    socket.on('error', reject);
    const write = async () => {
      for (const piece of pieces) {
        if (socket.destroyed) return;
        socket.write(piece);
        await new Promise((wait) => setTimeout(wait, 5));
      }
    };
    socket.on('connect', () => void write());
  });
}

const customerOf = (id: string) =>
  ({ id, object: 'customer', email: `${id}@example.com`, livemode: false }) as Stripe.Customer;

const sign = (payload: string | Buffer, timestamp?: number) =>
  signer.webhooks.generateTestHeaderString({
    payload: payload.toString(),
    secret: SECRET,
    timestamp,
  });

/** A POST's head, with `Content-Length` of `body` unless a header says otherwise. */
function post(
  path: string,
  body: string | Buffer,
  headers: Record<string, string | string[]>,
  close = true,
): (string | Buffer)[] {
  const lines = [`POST ${path} HTTP/1.1`, 'Host: 127.0.0.1'];
  const all: Record<string, string | string[]> = {
    'Content-Type': 'application/json',
    ...headers,
  };
  if (!Object.keys(all).some((name) => /^(content-length|transfer-encoding)$/i.test(name)))
    all['Content-Length'] = String(Buffer.byteLength(body));
  if (close) all.Connection = 'close';
  for (const [name, value] of Object.entries(all))
    for (const one of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${one}`);
  return [`${lines.join('\r\n')}\r\n\r\n`, body];
}

describe('webhook intake edges, server against express', () => {
  let sandbox: StripeSandbox;
  let server: INestApplication;
  let viaExpress: INestApplication;
  let serial = 0;

  beforeAll(async () => {
    ({ sandbox } = await startSandbox());
    server = await startHost(sandbox, 'server');
    viaExpress = await startHost(sandbox, 'express');
  });
  afterAll(async () => {
    await server?.close();
    await viaExpress?.close();
    await sandbox?.close();
  });

  /** A fresh signed event body per intake (each stores its own). */
  const freshEvent = () =>
    JSON.stringify(eventOf('customer.updated', customerOf(`cus_edges_${++serial}`)));

  const probes: [string, () => (string | Buffer)[]][] = [
    [
      'an empty chunked body without a signature',
      () => post(CONNECT, '0\r\n\r\n', { 'Transfer-Encoding': 'chunked' }),
    ],
    [
      'an empty chunked body with a malformed signature',
      () =>
        post(CONNECT, '0\r\n\r\n', { 'Transfer-Encoding': 'chunked', 'Stripe-Signature': 'nope' }),
    ],
    [
      'a doubled charset, the second not UTF-8',
      () => {
        const body = freshEvent();
        return post(PLATFORM, body, {
          'Content-Type': 'application/json; charset=utf-8; charset=latin1',
          'Stripe-Signature': sign(body),
        });
      },
    ],
    [
      'a malformed Content-Type parameter',
      () => {
        const body = freshEvent();
        return post(PLATFORM, body, {
          'Content-Type': 'application/json; charset',
          'Stripe-Signature': sign(body),
        });
      },
    ],
    [
      'a quoted charset',
      () => {
        const body = freshEvent();
        return post(PLATFORM, body, {
          'Content-Type': 'application/json; charset="UTF-8"',
          'Stripe-Signature': sign(body),
        });
      },
    ],
    [
      'the signature header twice, a garbage one first',
      () => {
        const body = freshEvent();
        return post(PLATFORM, body, { 'Stripe-Signature': ['t=1,v1=00', sign(body)] });
      },
    ],
    [
      'a timestamp outside the tolerance',
      () => {
        const body = freshEvent();
        return post(PLATFORM, body, {
          'Stripe-Signature': sign(body, Math.floor(Date.now() / 1000) - 3600),
        });
      },
    ],
    ['a signed array', () => post(PLATFORM, '[1,2]', { 'Stripe-Signature': sign('[1,2]') })],
    ['a signed number', () => post(PLATFORM, '42', { 'Stripe-Signature': sign('42') })],
    ['a signed null', () => post(PLATFORM, 'null', { 'Stripe-Signature': sign('null') })],
    [
      'a signed object without id',
      () => post(PLATFORM, '{"type":"x"}', { 'Stripe-Signature': sign('{"type":"x"}') }),
    ],
    [
      'a signed event after a BOM',
      () => {
        const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(freshEvent())]);
        return post(PLATFORM, body, { 'Stripe-Signature': sign(body) });
      },
    ],
    [
      'a trailing slash',
      () => {
        const body = freshEvent();
        return post(`${CONNECT}/`, body, { 'Stripe-Signature': sign(body) });
      },
    ],
    [
      'Expect: 100-continue',
      () => {
        const body = freshEvent();
        return post(PLATFORM, body, { 'Stripe-Signature': sign(body), Expect: '100-continue' });
      },
    ],
    ['a HEAD', () => [`HEAD ${PLATFORM} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`]],
    ['an OPTIONS', () => [`OPTIONS ${PLATFORM} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`]],
  ];

  it.each(probes)('%s: the same answer from both, never a 500', async (_name, build) => {
    const viaServer = await raw(server, build());
    const viaExpressAnswer = await raw(viaExpress, build());
    expect(viaServer.length).toBe(1);
    expect(viaServer).toEqual(viaExpressAnswer);
    expect(viaServer[0].status).toBeLessThan(500);
  });

  it('answers a huge announced length at once with 413 (Express answers once the body has come)', async () => {
    const huge = () =>
      post(PLATFORM, '{}', { 'Content-Length': '1000000000', 'Stripe-Signature': 't=1,v1=a' });
    expect(await raw(server, huge())).toEqual([
      { status: 413, code: 'payload_too_large', outcome: null },
    ]);
    // body-parser reads the whole announced body before it answers: nothing comes while it waits.
    expect(await raw(viaExpress, huge(), 300)).toEqual([]);
  });

  it('answers two deliveries pipelined on one keep-alive socket, in order', async () => {
    for (const app of [server, viaExpress]) {
      const first = freshEvent();
      const second = freshEvent();
      const answers = await raw(app, [
        Buffer.concat(
          [
            ...post(PLATFORM, first, { 'Stripe-Signature': sign(first) }, false),
            ...post(PLATFORM, second, { 'Stripe-Signature': sign(second) }),
          ].map((piece) => Buffer.from(piece)),
        ),
      ]);
      expect(answers).toEqual([
        { status: 200, code: null, outcome: 'processed' },
        { status: 200, code: null, outcome: 'processed' },
      ]);
    }
  });

  it('survives an upload aborted mid-body, then answers the next delivery', async () => {
    for (const app of [server, viaExpress]) {
      const body = freshEvent();
      const [head] = post(PLATFORM, body, { 'Stripe-Signature': sign(body) });
      expect(await raw(app, [head, body.slice(0, 20)], 200)).toEqual([]);
      const next = freshEvent();
      expect(await raw(app, post(PLATFORM, next, { 'Stripe-Signature': sign(next) }))).toEqual([
        { status: 200, code: null, outcome: 'processed' },
      ]);
    }
  });
});

describe('a signed event the store cannot take, delivered beside others', () => {
  let sandbox: StripeSandbox;
  let app: INestApplication;

  beforeAll(async () => {
    ({ sandbox } = await startSandbox());
    app = await startHost(sandbox, 'server');
  });
  afterAll(async () => {
    await app?.close();
    await sandbox?.close();
  });

  const poisons: [string, (event: Record<string, unknown>) => Record<string, unknown>][] = [
    ['a created time no date holds', (event) => ({ ...event, created: 1e20 })],
    ['a type longer than any Stripe type', (event) => ({ ...event, type: `x.${'y'.repeat(200)}` })],
    ['an id longer than any Stripe id', (event) => ({ ...event, id: `evt_${'1'.repeat(300)}` })],
    ['an account that is not an id', (event) => ({ ...event, account: { id: 'acct_1' } })],
    ['an api version longer than any', (event) => ({ ...event, api_version: 'v'.repeat(100) })],
    ['a livemode that is not a boolean', (event) => ({ ...event, livemode: 'sometimes' })],
    ['no livemode', ({ livemode: _livemode, ...event }) => event],
  ];

  it('a number PostgreSQL cannot hold: that delivery alone fails (5xx, kept for redelivery), the others are processed', async () => {
    const good = Array.from({ length: 5 }, (_, index) =>
      JSON.stringify(eventOf('customer.updated', customerOf(`cus_poison_number_${index}`))),
    );
    const poison = JSON.stringify(
      eventOf('customer.updated', customerOf('cus_poisoned_number')),
    ).replace('"livemode":false', '"balance":1e400000,"livemode":false');
    const answers = await Promise.all(
      [poison, ...good].map((body) =>
        raw(app, post(PLATFORM, body, { 'Stripe-Signature': sign(body) })),
      ),
    );
    expect(answers.slice(1)).toEqual(
      Array(5).fill([{ status: 200, code: null, outcome: 'processed' }]),
    );
    expect(answers[0]).toHaveLength(1);
    expect(answers[0][0].status).toBeGreaterThanOrEqual(500);
  });

  it('never logs a secret, a signature or a body, whatever was refused or failed', () => {
    expect(logged.some((line) => line.includes('refused'))).toBe(true);
    expect(logged.some((line) => line.includes('numeric'))).toBe(true);
    for (const line of logged) {
      expect(line).not.toContain(SECRET);
      expect(line).not.toMatch(/v1=[0-9a-f]{16}/);
      expect(line).not.toContain('@example.com');
      expect(line).not.toContain('"object"');
    }
  });

  it.each(poisons)(
    '%s: refused with 400 alone, the deliveries beside it processed',
    async (_name, spoil) => {
      const good = Array.from({ length: 5 }, (_, index) =>
        JSON.stringify(eventOf('customer.updated', customerOf(`cus_poison_${_name}_${index}`))),
      );
      const poison = JSON.stringify(
        spoil(
          eventOf('customer.updated', customerOf('cus_poisoned')) as unknown as Record<
            string,
            unknown
          >,
        ),
      );
      const answers = await Promise.all(
        [poison, ...good].map((body) =>
          raw(app, post(PLATFORM, body, { 'Stripe-Signature': sign(body) })),
        ),
      );
      expect(answers.slice(1)).toEqual(
        Array(5).fill([{ status: 200, code: null, outcome: 'processed' }]),
      );
      expect(answers[0]).toEqual([{ status: 400, code: 'invalid_payload', outcome: null }]);
    },
  );
});
