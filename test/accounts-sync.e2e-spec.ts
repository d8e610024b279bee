/** `accounts:sync` against the sandbox seeded with accounts: import, refresh, guard, owners, resume, 429s. */
import { join } from 'node:path';
import type Stripe from 'stripe';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runCliWithStatus } from '../src/cli.js';
import { EmbeddedSandbox } from '../src/sandbox/embedded-sandbox.js';
import {
  Account,
  AccountsSyncService,
  ExternalAccount,
  Person,
  STRIPE_CLIENT,
  SyncCursor,
} from '../src/stripe-connect/index.js';
import { StripeSandbox } from '../src/stripe-sandbox/index.js';
import { seedAccounts } from '../src/stripe-sandbox/sandbox.seed.js';
import { stripeTimeOf } from '../src/stripe-connect/stripe/stripe-time.js';
import { createTestDatabase } from './support/test-database.js';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('accounts:sync', () => {
  let t: TestApp;
  let db: DataSource;
  let sandbox: StripeSandbox;
  let sync: AccountsSyncService;

  beforeAll(async () => {
    t = await createTestApp({ stripe: 'sandbox' });
    db = t.app.get(DataSource);
    sandbox = t.app.get(EmbeddedSandbox).sandbox;
    sync = t.app.get(AccountsSyncService);
    // Seeded accounts send no events: the mirror knows only the two templates' (through webhooks).
    await seedAccounts(sandbox, { accounts: 250, companyPercent: 20 });
    await sandbox.advanceClock(0);
  });
  afterAll(() => t.close());

  it('imports every account once, with its bank accounts, persons and capabilities', async () => {
    const summary = await sync.sync({ concurrency: 8 });
    expect(summary).toMatchObject({ synced: 252, failed: [], resumedAfter: null, pages: 3 });
    expect(await db.getRepository(Account).count()).toBe(252);
    expect(await db.getRepository(ExternalAccount).count()).toBe(252);
    // 51 companies (50 seeded and the template), 2 persons each.
    expect(await db.getRepository(Person).count()).toBe(102);
    const company = await db
      .getRepository(Account)
      .findOneByOrFail({ businessType: 'company', metadata: { user_id: 'seed-user-1' } as never });
    expect(company.capabilities).toMatchObject({ card_payments: 'active', transfers: 'active' });
    const persons = await db.getRepository(Person).findBy({ accountId: company.id });
    expect(persons.some((p) => p.relationship.representative === true)).toBe(true);
    expect(persons.some((p) => p.relationship.owner === true)).toBe(true);
    expect(await db.getRepository(SyncCursor).findOneByOrFail({ name: 'accounts' })).toMatchObject({
      cursor: null,
      synced: 252,
      completedAt: expect.any(Date),
    });
  });

  it('refreshes without duplicates, never writes over a newer snapshot, never clears an owner', async () => {
    // Two accounts other than the one whose owner is adopted below (ids are random).
    const [owned, newer] = (await db.getRepository(Account).find({ order: { id: 'ASC' } }))
      .filter((a) => a.metadata?.user_id !== 'seed-user-9')
      .slice(0, 2);
    await db.getRepository(Account).update({ id: owned.id }, { userId: 'owner-7' });
    const future = new Date(Date.now() + 86_400_000);
    await db
      .getRepository(Account)
      .update({ id: newer.id }, { snapshotAt: future, email: 'newer@example.com' });
    const summary = await sync.sync({ ownerMetadataKey: 'user_id' });
    expect(summary.synced).toBe(252);
    expect(await db.getRepository(Account).count()).toBe(252);
    expect(await db.getRepository(Account).findOneByOrFail({ id: owned.id })).toMatchObject({
      userId: 'owner-7',
    });
    expect(await db.getRepository(Account).findOneByOrFail({ id: newer.id })).toMatchObject({
      email: 'newer@example.com',
      snapshotAt: future,
    });
    // Owners come from metadata where none was set.
    const adopted = await db
      .getRepository(Account)
      .findOneByOrFail({ metadata: { user_id: 'seed-user-9' } as never });
    expect(adopted.userId).toBe('seed-user-9');
  });

  it('never brings back a newer tombstone, and tombstones the persons Stripe no longer lists', async () => {
    const company = await db
      .getRepository(Account)
      .findOneByOrFail({ businessType: 'company', metadata: { user_id: 'seed-user-1' } as never });
    const [bank] = await db.getRepository(ExternalAccount).findBy({ accountId: company.id });
    const [person, kept] = await db.getRepository(Person).findBy({ accountId: company.id });
    // A deletion newer than anything the backfill reads (an event from the future).
    const future = new Date(Date.now() + 86_400_000);
    await db
      .getRepository(ExternalAccount)
      .update({ id: bank.id }, { deletedAt: future, snapshotAt: future });
    await db
      .getRepository(Person)
      .update({ id: person.id }, { deletedAt: future, snapshotAt: future });
    // A person the mirror holds from an old state and Stripe no longer lists.
    await db.getRepository(Person).save(
      Object.assign(new Person(), kept, {
        id: 'person_gone_from_stripe',
        snapshotAt: new Date('2020-01-01T00:00:00Z'),
      }),
    );
    await sync.sync({ restart: true });
    const withDeleted = { withDeleted: true } as const;
    expect(
      await db
        .getRepository(ExternalAccount)
        .findOneOrFail({ where: { id: bank.id }, ...withDeleted }),
    ).toMatchObject({ deletedAt: future, snapshotAt: future });
    expect(
      await db.getRepository(Person).findOneOrFail({ where: { id: person.id }, ...withDeleted }),
    ).toMatchObject({ deletedAt: future, snapshotAt: future });
    const gone = await db
      .getRepository(Person)
      .findOneOrFail({ where: { id: 'person_gone_from_stripe' }, ...withDeleted });
    expect(gone.deletedAt).toBeInstanceOf(Date);
    // The listed ones are live, and the API shows only them.
    expect(
      (await db.getRepository(Person).findBy({ accountId: company.id })).map((p) => p.id),
    ).toEqual([kept.id]);
  });

  /**
   * Runs `work` with the app's Stripe client calling `after(page, call)` once each page of `accounts.list` has
   * come back (the real answer of the sandbox) and before the sync sees it: what happens at Stripe between a
   * page being read and being written.
   */
  async function withListHook(
    after: (page: Stripe.ApiList<Stripe.Account>, call: number) => Promise<void>,
    work: () => Promise<void>,
  ): Promise<void> {
    const accounts = t.app.get<Stripe>(STRIPE_CLIENT).accounts;
    // The SDK's own method (on the resource's prototype), shadowed for the run, then uncovered again.
    const list = accounts.list.bind(accounts);
    let calls = 0;
    accounts.list = ((...args: Parameters<typeof list>) => {
      calls += 1;
      const call = calls;
      return list(...args).then(async (page) => {
        await after(page, call);
        return page;
      });
    }) as typeof list;
    try {
      await work();
    } finally {
      Reflect.deleteProperty(accounts, 'list');
    }
    expect(Object.hasOwn(accounts, 'list')).toBe(false);
  }

  it('leaves the newer state a webhook wrote while the sync held an older page', async () => {
    const stripe = t.app.get<Stripe>(STRIPE_CLIENT);
    let landed: { id: string; snapshotAt: Date } | null = null;
    await withListHook(
      async (page, call) => {
        if (call !== 1) return;
        // After Stripe answered the first page: the account changes at Stripe, and the webhook lands.
        const id = page.data[7].id;
        await sandbox.advanceClock(60);
        await stripe.accounts.update(id, { metadata: { landed: 'during-sync' } });
        await sandbox.webhooks.idle();
        const row = await db.getRepository(Account).findOneByOrFail({ id });
        expect(row.metadata).toMatchObject({ landed: 'during-sync' });
        expect(row.snapshotAt!.getTime()).toBeGreaterThan(stripeTimeOf(page).getTime());
        landed = { id, snapshotAt: row.snapshotAt! };
      },
      async () => {
        const summary = await sync.sync({ restart: true });
        expect(summary).toMatchObject({ synced: 252, failed: [] });
      },
    );
    expect(landed).not.toBeNull();
    const { id, snapshotAt } = landed!;
    expect(await db.getRepository(Account).findOneByOrFail({ id })).toMatchObject({
      metadata: { landed: 'during-sync' },
      snapshotAt,
    });
    expect(await db.getRepository(Account).count()).toBe(252);
  });

  it('stops when Stripe keeps failing, and resumes after the last page written', async () => {
    sandbox.injectFault({ path: '/v1/accounts', method: 'GET', status: 500, count: 3 });
    await expect(sync.sync({ restart: true })).rejects.toThrow();
    expect(await db.getRepository(SyncCursor).findOneByOrFail({ name: 'accounts' })).toMatchObject({
      completedAt: null,
    });
    // Interrupted for real after its first page: the second page's calls fail, past the SDK's retries.
    let firstLast: string | null = null;
    await withListHook(
      async (page, call) => {
        if (call === 1) {
          firstLast = page.data[page.data.length - 1].id;
          sandbox.injectFault({ path: '/v1/accounts', method: 'GET', status: 500, count: 3 });
        }
      },
      async () => {
        await expect(sync.sync({ restart: true })).rejects.toThrow();
      },
    );
    expect(await db.getRepository(SyncCursor).findOneByOrFail({ name: 'accounts' })).toMatchObject({
      cursor: firstLast,
      synced: 100,
      completedAt: null,
    });
    const persons = await db.getRepository(Person).count({ withDeleted: true });
    sandbox.injectFault({ path: '/v1/accounts', method: 'GET', status: 429, count: 4 });
    const resumed = await sync.sync({ backoffMs: 10 });
    expect(resumed).toMatchObject({ resumedAfter: firstLast, synced: 252, pages: 2, failed: [] });
    // Exactly one row per account and per person, however many runs wrote them.
    expect(await db.getRepository(Account).count()).toBe(252);
    expect(await db.getRepository(ExternalAccount).count({ withDeleted: true })).toBe(252);
    expect(await db.getRepository(Person).count({ withDeleted: true })).toBe(persons);
    expect(await db.getRepository(SyncCursor).findOneByOrFail({ name: 'accounts' })).toMatchObject({
      cursor: null,
      synced: 252,
      completedAt: expect.any(Date),
    });
  });

  it('syncs one account with --account', async () => {
    const one = await db.getRepository(Account).findOneByOrFail({ businessType: 'company' });
    await db.getRepository(Person).delete({ accountId: one.id });
    const summary = await sync.sync({ account: one.id });
    expect(summary).toMatchObject({ synced: 1, persons: 2, failed: [] });
  });
});

describe('npm run cli -- accounts:sync', () => {
  const run = inject('testDatabaseRun');
  const dir = join(run.root, `sync-cli-${process.pid}`);
  const env: Record<string, string> = { PGLITE_DIR: dir, AUTH_JWT_SECRET: 'x'.repeat(32) };

  beforeAll(async () => {
    if (run.adminUrl) {
      const database = await createTestDatabase(run);
      if (database.kind === 'postgres') env.DATABASE_URL = database.url;
    }
    const seeded = await StripeSandbox.start({ stateFile: join(dir, 'stripe-sandbox.jsonl') });
    await seedAccounts(seeded, { accounts: 30 });
    await seeded.close();
  });

  it('imports the accounts of the configured Stripe, with a summary and exit code 0', async () => {
    const { output, code } = await runCliWithStatus(['accounts:sync', '--concurrency', '4'], env);
    expect(code, output).toBe(0);
    expect(output, output).toMatch(
      /^32 account\(s\) synced \(32 external account\(s\), 14 person\(s\)\), 0 failed/m,
    );
  });
});
