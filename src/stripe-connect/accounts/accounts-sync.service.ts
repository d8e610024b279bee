/**
 * The backfill (`accounts:sync`): imports or refreshes every connected account the platform has, with its
 * external accounts, persons and capabilities, through the same guarded writes as the webhook path (a
 * snapshot older than the row's is never written; owners are never cleared). Pages of `accounts.list` are
 * written with bounded concurrency; after each page, its last id is kept in the database, so an interrupted
 * run resumes there. Rate limits (429) are waited out with exponential backoff.
 */
import { Injectable, Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import { InjectStripeClient } from '../stripe/inject-stripe-client.decorator.js';
import { stripeTimeOf } from '../stripe/stripe-time.js';
import { AccountsRepository } from './accounts.repository.js';
import { SyncCursorRepository } from './sync-cursor.repository.js';

const CURSOR = 'accounts';
const PAGE_SIZE = 100;

export interface AccountsSyncOptions {
  /** One account only (no cursor kept). */
  account?: string;
  /** Accounts written at once (default 8, at most 64). */
  concurrency?: number;
  /** Start from the beginning even if a previous run was interrupted. */
  restart?: boolean;
  /** Set the owner of accounts that have none from this metadata key (e.g. `user_id`); never replaces one. */
  ownerMetadataKey?: string;
  /** Backoff before retrying a rate-limited call (ms, doubled each time; default 1000). */
  backoffMs?: number;
  /** Called once the run knows where it starts: the estimated total (the mirror's count) and the count so far. */
  onStart?: (state: { estimated: number; resumedAfter: string | null; synced: number }) => void;
  /** Called after each account, written or failed. */
  onAccount?: (result: { id: string; ok: boolean; error?: string }) => void;
}

export interface AccountsSyncSummary {
  synced: number;
  failed: { id: string; message: string }[];
  externalAccounts: number;
  persons: number;
  pages: number;
  /** The cursor the run resumed after, when it continued an interrupted one. */
  resumedAfter: string | null;
  seconds: number;
}

function isRateLimited(error: unknown): boolean {
  const e = error as { statusCode?: number; type?: string; code?: string };
  return e?.statusCode === 429 || e?.type === 'StripeRateLimitError' || e?.code === 'rate_limit';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

@Injectable()
export class AccountsSyncService {
  private readonly logger = new Logger(AccountsSyncService.name);

  constructor(
    @InjectStripeClient() private readonly stripe: Stripe,
    private readonly accounts: AccountsRepository,
    private readonly cursors: SyncCursorRepository,
  ) {}

  async sync(options: AccountsSyncOptions = {}): Promise<AccountsSyncSummary> {
    const started = Date.now();
    const summary: AccountsSyncSummary = {
      synced: 0,
      failed: [],
      externalAccounts: 0,
      persons: 0,
      pages: 0,
      resumedAfter: null,
      seconds: 0,
    };
    const concurrency = Math.min(Math.max(options.concurrency ?? 8, 1), 64);
    if (options.account) {
      options.onStart?.({ estimated: 1, resumedAfter: null, synced: 0 });
      const account = await this.withBackoff(options, () =>
        this.stripe.accounts.retrieve(options.account!),
      );
      await this.syncOne(account, stripeTimeOf(account), options, summary);
      summary.seconds = (Date.now() - started) / 1000;
      return summary;
    }
    const previous = await this.cursors.find(CURSOR);
    let cursor: string | null = null;
    if (!options.restart && previous?.cursor && !previous.completedAt) {
      cursor = previous.cursor;
      summary.resumedAfter = cursor;
      summary.synced = previous.synced;
    } else {
      await this.cursors.start(CURSOR);
    }
    options.onStart?.({
      estimated: Math.max(await this.accounts.count(), previous?.synced ?? 0),
      resumedAfter: cursor,
      synced: summary.synced,
    });
    for (;;) {
      const page = await this.withBackoff(options, () =>
        this.stripe.accounts.list({
          limit: PAGE_SIZE,
          ...(cursor ? { starting_after: cursor } : {}),
        }),
      );
      const at = stripeTimeOf(page);
      await runBounded(page.data, concurrency, (account) =>
        this.syncOne(account, at, options, summary),
      );
      summary.pages += 1;
      if (!page.data.length) break;
      cursor = page.data[page.data.length - 1].id;
      await this.cursors.advance(CURSOR, cursor, summary.synced);
      if (!page.has_more) break;
    }
    await this.cursors.complete(CURSOR, summary.synced);
    summary.seconds = (Date.now() - started) / 1000;
    this.logger.log(
      `accounts:sync: ${summary.synced} synced, ${summary.failed.length} failed, ${summary.pages} page(s) in ${summary.seconds.toFixed(1)} s`,
    );
    return summary;
  }

  /** One account: its complete external accounts and persons fetched, then written with the ordering guard. */
  private async syncOne(
    account: Stripe.Account,
    at: Date,
    options: AccountsSyncOptions,
    summary: AccountsSyncSummary,
  ): Promise<void> {
    try {
      let full = account;
      const externals = account.external_accounts;
      if (externals?.has_more) {
        const data: (Stripe.BankAccount | Stripe.Card)[] = [];
        await this.withBackoff(options, () =>
          this.stripe.accounts
            .listExternalAccounts(account.id, { limit: 100 })
            .autoPagingEach((external) => {
              data.push(external);
            }),
        );
        full = { ...account, external_accounts: { ...externals, data, has_more: false } };
      }
      const persons = await this.personsOf(account, options);
      await this.accounts.saveSnapshot(full, at);
      if (persons) await this.accounts.savePersons(account.id, persons, at);
      const owner = options.ownerMetadataKey
        ? account.metadata?.[options.ownerMetadataKey]
        : undefined;
      if (owner) await this.accounts.adoptOwner(account.id, owner);
      summary.synced += 1;
      summary.externalAccounts += full.external_accounts?.data.length ?? 0;
      summary.persons += persons?.length ?? 0;
      options.onAccount?.({ id: account.id, ok: true });
    } catch (error) {
      summary.failed.push({ id: account.id, message: messageOf(error) });
      this.logger.warn(`accounts:sync: ${account.id} failed: ${messageOf(error)}`);
      options.onAccount?.({ id: account.id, ok: false, error: messageOf(error) });
    }
  }

  /** The persons of a company account the platform manages (Stripe lists them for custom accounts only). */
  private async personsOf(
    account: Stripe.Account,
    options: AccountsSyncOptions,
  ): Promise<Stripe.Person[] | null> {
    if (account.type !== 'custom' || account.business_type === 'individual') return null;
    const persons: Stripe.Person[] = [];
    await this.withBackoff(options, () =>
      this.stripe.accounts.listPersons(account.id, { limit: 100 }).autoPagingEach((person) => {
        persons.push(person);
      }),
    );
    return persons;
  }

  /** Retries a call Stripe rate-limited (after the SDK's own retries), waiting longer each time. */
  private async withBackoff<T>(options: AccountsSyncOptions, call: () => Promise<T>): Promise<T> {
    let wait = options.backoffMs ?? 1000;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await call();
      } catch (error) {
        if (!isRateLimited(error) || attempt >= 8) throw error;
        this.logger.warn(`accounts:sync: rate limited; retrying in ${wait} ms`);
        await new Promise((resolve) => setTimeout(resolve, wait));
        wait = Math.min(wait * 2, 30_000);
      }
    }
  }
}

/** Runs `work` over `items`, at most `limit` at once. */
async function runBounded<T>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
