/**
 * Nested lists are never taken as complete when Stripe says there is more (`has_more`), and the route that
 * adds a bank account and the sandbox's webhooks for it, running at once, write their rows in one lock order:
 * no deadlock, every answer 201. Runs against the embedded sandbox, whose webhooks reach the app.
 */
import request from 'supertest';
import type Stripe from 'stripe';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedSandbox } from '../src/sandbox/embedded-sandbox.js';
import { SandboxClient } from '../src/stripe-sandbox/index.js';
import { Account, ExternalAccount, STRIPE_CLIENT } from '../src/stripe-connect/index.js';
import { sellerForm } from './support/forms.js';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('nested lists and concurrent writers of related rows', () => {
  let t: TestApp;
  let db: DataSource;
  let stripe: Stripe;
  let clock: SandboxClient;

  beforeAll(async () => {
    t = await createTestApp({ stripe: 'sandbox' });
    db = t.app.get(DataSource);
    stripe = t.app.get<Stripe>(STRIPE_CLIENT);
    clock = new SandboxClient(t.app.get(EmbeddedSandbox).url);
  });
  afterAll(() => t.close());

  it('keeps 15 bank accounts, added at once while their webhooks arrive, through every later update', async () => {
    const auth = `Bearer ${await t.token('lists-seller')}`;
    const id = (
      await request(t.app.getHttpServer())
        .post('/connect/accounts/custom')
        .set('Authorization', auth)
        .send(sellerForm())
        .expect(201)
    ).body.id as string;
    // 14 more, five at a time: each route call writes the account and its list while the sandbox delivers
    // account.external_account.created and account.updated for it.
    const numbers = Array.from({ length: 14 }, (_, i) => `0009999${String(i).padStart(5, '0')}`);
    for (let i = 0; i < numbers.length; i += 5) {
      const answers = await Promise.all(
        numbers.slice(i, i + 5).map((accountNumber) =>
          request(t.app.getHttpServer())
            .post(`/connect/accounts/${id}/external-accounts`)
            .set('Authorization', auth)
            .send({
              bankAccount: {
                accountHolderName: 'Sam Seller',
                routingNumber: '110000000',
                accountNumber,
              },
            }),
        ),
      );
      expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 201));
    }
    await clock.advance(0);
    const remote = await stripe.accounts.retrieve(id);
    expect(remote.external_accounts?.has_more).toBe(true);
    const all = (await stripe.accounts.listExternalAccounts(id, { limit: 100 })).data;
    expect(all).toHaveLength(15);
    const mirrored = async () =>
      (await db.getRepository(ExternalAccount).findBy({ accountId: id })).map((e) => e.id).sort();
    expect(await mirrored()).toEqual(all.map((e) => e.id).sort());

    // A later account.updated (a page of 10 with has_more) and a later API answer keep all 15.
    await stripe.accounts.update(id, { email: 'lists@example.com' });
    await clock.advance(0);
    expect(await db.getRepository(Account).findOneByOrFail({ id })).toMatchObject({
      email: 'lists@example.com',
    });
    expect(await mirrored()).toHaveLength(15);
    const listed = await request(t.app.getHttpServer())
      .get(`/connect/accounts/${id}/external-accounts`)
      .set('Authorization', auth)
      .expect(200);
    expect(listed.body).toHaveLength(15);

    // One deleted at Stripe: its tombstone hides it; the other 14 stay.
    await stripe.accounts.deleteExternalAccount(id, all[3].id);
    await clock.advance(0);
    expect(await mirrored()).toEqual(
      all
        .filter((_, i) => i !== 3)
        .map((e) => e.id)
        .sort(),
    );
    const tombstone = await db
      .getRepository(ExternalAccount)
      .findOne({ where: { id: all[3].id }, withDeleted: true });
    expect(tombstone?.deletedAt).toBeInstanceOf(Date);
  });
});
