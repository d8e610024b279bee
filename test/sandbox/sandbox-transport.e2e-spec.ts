/** The sandbox's transport, driven through the official SDK over HTTP. */
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxClient, type StripeSandbox } from '../../src/stripe-sandbox/index.js';
import { startSandbox, stripeFor } from '../support/sandbox.js';

describe('sandbox transport', () => {
  let sandbox: StripeSandbox;
  let stripe: Stripe;

  beforeAll(async () => {
    ({ sandbox, stripe } = await startSandbox());
  });
  afterAll(() => sandbox.close());

  async function raw(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${sandbox.url}${path}`, init);
  }

  describe('authentication', () => {
    it('answers 401 without a key', async () => {
      const response = await raw('/v1/customers');
      expect(response.status).toBe(401);
      expect(response.headers.get('request-id')).toMatch(/^req_/);
      const body = (await response.json()) as { error: { type: string; message: string } };
      expect(body.error.type).toBe('invalid_request_error');
      expect(body.error.message).toContain('You did not provide an API key');
    });

    it('answers 401 to a malformed or live key, through the SDK', async () => {
      const error = await stripeFor(sandbox, 'sk_live_notallowedhere123')
        .customers.list()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
      expect((error as Stripe.errors.StripeError).statusCode).toBe(401);
      expect((error as Error).message).not.toContain('notallowedhere');
    });

    it('takes basic auth with the key as user name, and any Stripe-Version', async () => {
      const response = await raw('/v1/customers', {
        headers: {
          Authorization: `Basic ${Buffer.from('sk_test_basic:').toString('base64')}`,
          'Stripe-Version': '2024-04-10',
        },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('stripe-version')).toBe('2024-04-10');
    });
  });

  describe('encoding', () => {
    it('decodes bracket notation: nested hashes, indexed and empty-bracket arrays, metadata', async () => {
      const body = new URLSearchParams([
        ['email', 'a@example.com'],
        ['address[line1]', '1 Main St'],
        ['address[city]', 'Springfield'],
        ['preferred_locales[]', 'en'],
        ['preferred_locales[]', 'fr'],
        ['metadata[order]', '42'],
        ['expand[0]', 'default_source'],
      ]);
      const response = await raw('/v1/customers', {
        method: 'POST',
        headers: {
          Authorization: 'Bearer sk_test_x',
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: body.toString(),
      });
      expect(response.status).toBe(200);
      const customer = (await response.json()) as Record<string, unknown>;
      expect(customer).toMatchObject({
        object: 'customer',
        email: 'a@example.com',
        address: { line1: '1 Main St', city: 'Springfield' },
        preferred_locales: ['en', 'fr'],
        metadata: { order: '42' },
        default_source: null,
      });
    });

    it('refuses JSON bodies as Stripe does', async () => {
      const response = await raw('/v1/customers', {
        method: 'POST',
        headers: { Authorization: 'Bearer sk_test_x', 'Content-Type': 'application/json' },
        body: '{"email":"a@example.com"}',
      });
      expect(response.status).toBe(400);
    });

    it('takes query strings on GET', async () => {
      const made = await stripe.customers.create({ email: 'query@example.com' });
      const list = await stripe.customers.list({ email: 'query@example.com', limit: 5 });
      expect(list.data.map((c) => c.id)).toEqual([made.id]);
    });
  });

  describe('errors', () => {
    it('answers an unknown object with 404 resource_missing and its param', async () => {
      const error = (await stripe.customers
        .retrieve('cus_doesnotexist')
        .catch((e: unknown) => e)) as Stripe.errors.StripeError;
      expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(error.statusCode).toBe(404);
      expect(error.code).toBe('resource_missing');
      expect(error.param).toBe('id');
      expect(error.message).toBe("No such customer: 'cus_doesnotexist'");
      expect(error.requestId).toMatch(/^req_/);
    });

    it('answers an unknown parameter with 400 parameter_unknown', async () => {
      const error = (await stripe.customers
        .create({ emial: 'typo@example.com' } as Stripe.CustomerCreateParams)
        .catch((e: unknown) => e)) as Stripe.errors.StripeError;
      expect(error.statusCode).toBe(400);
      expect(error.code).toBe('parameter_unknown');
      expect(error.param).toBe('emial');
    });

    it('answers an invalid value with 400 naming the param', async () => {
      const error = (await stripe.customers
        .create({ email: 'not-an-email' })
        .catch((e: unknown) => e)) as Stripe.errors.StripeError;
      expect(error.statusCode).toBe(400);
      expect(error.type).toBe('StripeInvalidRequestError');
      expect(error.param).toBe('email');
    });

    it('answers an unrecognized URL with 404 in Stripe shape', async () => {
      const response = await raw('/v1/nothing_here', {
        headers: { Authorization: 'Bearer sk_test_x' },
      });
      expect(response.status).toBe(404);
      const body = (await response.json()) as { error: { message: string; type: string } };
      expect(body.error.type).toBe('invalid_request_error');
      expect(body.error.message).toContain('Unrecognized request URL (GET: /v1/nothing_here)');
    });

    it('gives random ids with Stripe prefixes', async () => {
      const [a, b] = await Promise.all([stripe.customers.create(), stripe.customers.create()]);
      expect(a.id).toMatch(/^cus_[A-Za-z0-9]{24}$/);
      expect(a.id.slice(0, 12)).not.toBe(b.id.slice(0, 12));
    });
  });

  describe('Stripe-Account scoping', () => {
    it('keeps an account’s objects invisible to other accounts and to the platform', async () => {
      const [one, two] = await Promise.all([
        stripe.accounts.create({ type: 'custom', country: 'US' }),
        stripe.accounts.create({ type: 'custom', country: 'US' }),
      ]);
      const onOne = await stripe.customers.create(
        { email: 'buyer@example.com' },
        { stripeAccount: one.id },
      );
      const onPlatform = await stripe.customers.create({ email: 'buyer@example.com' });

      await expect(
        stripe.customers.retrieve(onOne.id, {}, { stripeAccount: one.id }),
      ).resolves.toMatchObject({ id: onOne.id });
      for (const attempt of [
        stripe.customers.retrieve(onOne.id, {}, { stripeAccount: two.id }),
        stripe.customers.retrieve(onOne.id),
        stripe.customers.retrieve(onPlatform.id, {}, { stripeAccount: one.id }),
      ]) {
        await expect(attempt).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
      }
      const listed = await stripe.customers.list({ limit: 100 }, { stripeAccount: one.id });
      expect(listed.data.map((c) => c.id)).toEqual([onOne.id]);
    });

    it('refuses an unknown Stripe-Account', async () => {
      const error = (await stripe.customers
        .list({}, { stripeAccount: 'acct_unknown' })
        .catch((e: unknown) => e)) as Stripe.errors.StripeError;
      expect(error.statusCode).toBe(403);
      expect(error.code).toBe('account_invalid');
    });
  });

  describe('idempotency', () => {
    it('replays the first answer for the same key and parameters: one object, one event', async () => {
      const key = `idem-${Date.now()}`;
      const first = await stripe.customers.create(
        { email: 'once@example.com' },
        { idempotencyKey: key },
      );
      const again = await stripe.customers.create(
        { email: 'once@example.com' },
        { idempotencyKey: key },
      );
      expect(again.id).toBe(first.id);
      expect(again.lastResponse.headers['idempotent-replayed']).toBe('true');
      const customers = await stripe.customers.list({ email: 'once@example.com' });
      expect(customers.data).toHaveLength(1);
      const events = await stripe.events.list({ type: 'customer.created', limit: 100 });
      expect(
        events.data.filter((e) => (e.data.object as Stripe.Customer).id === first.id),
      ).toHaveLength(1);
    });

    it('replays errors too, with their status', async () => {
      const key = `idem-error-${Date.now()}`;
      const first = (await stripe.customers
        .create({ email: 'bad' }, { idempotencyKey: key })
        .catch((e: unknown) => e)) as Stripe.errors.StripeError;
      const again = (await stripe.customers
        .create({ email: 'bad' }, { idempotencyKey: key })
        .catch((e: unknown) => e)) as Stripe.errors.StripeError;
      expect(first.statusCode).toBe(400);
      expect(again.statusCode).toBe(400);
      expect(again.message).toBe(first.message);
    });

    it('refuses the same key with other parameters', async () => {
      const key = `idem-conflict-${Date.now()}`;
      await stripe.customers.create({ email: 'first@example.com' }, { idempotencyKey: key });
      const error = (await stripe.customers
        .create({ email: 'second@example.com' }, { idempotencyKey: key })
        .catch((e: unknown) => e)) as Stripe.errors.StripeError;
      expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
      expect(error.statusCode).toBe(400);
      expect(error.rawType).toBe('idempotency_error');
    });

    it('scopes keys per account', async () => {
      const account = await stripe.accounts.create({ type: 'custom', country: 'US' });
      const key = `idem-scope-${Date.now()}`;
      const onPlatform = await stripe.customers.create(
        { email: 'scoped@example.com' },
        { idempotencyKey: key },
      );
      const onAccount = await stripe.customers.create(
        { email: 'scoped@example.com' },
        { idempotencyKey: key, stripeAccount: account.id },
      );
      expect(onAccount.id).not.toBe(onPlatform.id);
    });

    it('answers 409 while the first request with the key is still running', async () => {
      const key = `idem-race-${Date.now()}`;
      const results = await Promise.allSettled(
        Array.from({ length: 5 }, () =>
          raw('/v1/customers', {
            method: 'POST',
            headers: {
              Authorization: 'Bearer sk_test_x',
              'Content-Type': 'application/x-www-form-urlencoded',
              'Idempotency-Key': key,
            },
            body: 'email=race%40example.com',
          }).then(async (r) => ({
            status: r.status,
            id: ((await r.json()) as { id?: string }).id,
          })),
        ),
      );
      const answers = results.map((r) =>
        r.status === 'fulfilled' ? r.value : { status: 0, id: undefined },
      );
      expect(answers.every((a) => a.status === 200 || a.status === 409)).toBe(true);
      expect(new Set(answers.filter((a) => a.status === 200).map((a) => a.id)).size).toBe(1);
      expect((await stripe.customers.list({ email: 'race@example.com' })).data).toHaveLength(1);
    });
  });

  describe('lists', () => {
    it('pages 250 objects newest first with autoPagingEach, and ending_before', async () => {
      const account = await stripe.accounts.create({ type: 'custom', country: 'US' });
      const created: string[] = [];
      for (let i = 0; i < 250; i += 1) {
        created.push(
          (await stripe.customers.create({ name: `c${i}` }, { stripeAccount: account.id })).id,
        );
      }
      const seen: string[] = [];
      await stripe.customers
        .list({ limit: 100 }, { stripeAccount: account.id })
        .autoPagingEach((customer) => {
          seen.push(customer.id);
        });
      expect(seen).toEqual([...created].reverse());

      const page = await stripe.customers.list(
        { limit: 3, starting_after: created[200] },
        { stripeAccount: account.id },
      );
      expect(page.data.map((c) => c.id)).toEqual([created[199], created[198], created[197]]);
      expect(page.has_more).toBe(true);
      expect(page.url).toBe('/v1/customers');
      const before = await stripe.customers.list(
        { limit: 2, ending_before: created[10] },
        { stripeAccount: account.id },
      );
      expect(before.data.map((c) => c.id)).toEqual([created[12], created[11]]);
      expect(before.has_more).toBe(true);
      const last = await stripe.customers.list(
        { limit: 10, starting_after: created[2] },
        { stripeAccount: account.id },
      );
      expect(last.data.map((c) => c.id)).toEqual([created[1], created[0]]);
      expect(last.has_more).toBe(false);
    });

    it('refuses a limit out of range', async () => {
      await expect(stripe.customers.list({ limit: 101 })).rejects.toMatchObject({
        statusCode: 400,
        param: 'limit',
      });
    });
  });

  describe('expand', () => {
    it('replaces an id by its object, in objects and in lists', async () => {
      const account = await stripe.accounts.create({
        type: 'custom',
        country: 'US',
        external_account: 'btok_us',
      });
      const bank = account.external_accounts!.data[0];
      const expanded = await stripe.accounts.retrieveExternalAccount(account.id, bank.id, {
        expand: ['account'],
      });
      expect((expanded as Stripe.BankAccount).account).toMatchObject({
        id: account.id,
        object: 'account',
      });
      const listed = await stripe.accounts.listExternalAccounts(account.id, {
        expand: ['data.account'],
      });
      expect((listed.data[0] as Stripe.BankAccount).account).toMatchObject({ id: account.id });
    });

    it('refuses what cannot be expanded', async () => {
      const customer = await stripe.customers.create();
      await expect(
        stripe.customers.retrieve(customer.id, { expand: ['email'] }),
      ).rejects.toMatchObject({
        statusCode: 400,
        param: 'expand',
      });
    });
  });

  describe('faults', () => {
    it('answers an injected rate limit with 429 in Stripe shape, then serves again', async () => {
      const client = new SandboxClient(sandbox.url);
      await client.injectFault({ path: '/v1/customers', method: 'POST', status: 429 });
      const error = (await stripe.customers
        .create()
        .catch((e: unknown) => e)) as Stripe.errors.StripeError;
      expect(error).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
      expect(error.statusCode).toBe(429);
      expect(error.code).toBe('rate_limit');
      await expect(stripe.customers.create()).resolves.toMatchObject({ object: 'customer' });
    });

    it('lets the SDK retry an injected server error with the same idempotency key', async () => {
      const client = new SandboxClient(sandbox.url);
      await client.injectFault({ path: '/v1/customers', method: 'POST', status: 503, count: 1 });
      const customer = await stripe.customers.create(
        { email: 'retried@example.com' },
        { maxNetworkRetries: 1 },
      );
      expect(customer.email).toBe('retried@example.com');
      expect((await stripe.customers.list({ email: 'retried@example.com' })).data).toHaveLength(1);
    });
  });
});
