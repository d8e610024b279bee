/**
 * The backfill (`accounts:sync`): imports or refreshes every connected account the platform has, with its
 * external accounts, persons and capabilities, through the same guarded writes as the webhook path (a
 * snapshot older than the row's is never written; owners are never cleared). Pages of `accounts.list` are
 * written with bounded concurrency; after each page, its last id is kept in the database, so an interrupted
 * run resumes there. Rate limits (429) are waited out with exponential backoff.
 */
import { Injectable, Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import type { EntityManager } from 'typeorm';
import { InjectStripeClient } from '../stripe/inject-stripe-client.decorator.js';
import { stripeTimeOf } from '../stripe/stripe-time.js';
import { AccountsSyncRepository, type SyncPageEntry } from './accounts-sync.repository.js';
import { AccountsRepository } from './accounts.repository.js';
import { SyncCursorRepository } from './sync-cursor.repository.js';

const CURSOR = 'accounts';
const PAGE_SIZE = 100;

export interface AccountsSyncOptions {
  /** One account only (no cursor kept). */
  account?: string;
  /** Calls to Stripe at once for a page's persons and long external-account lists (default 8, at most 64). */
  concurrency?: number;
  /** Pages written at once, each in its own transaction (default 2, at most 8). */
  writers?: number;
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

/** A page before this one failed: the run stops, and this page's transaction is rolled back. */
class RunStopped extends Error {
  constructor(readonly reason: unknown) {
    super('accounts:sync stopped at an earlier page');
  }
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
    private readonly pages: AccountsSyncRepository,
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
    const list = (after: string | null) =>
      this.withBackoff(options, () =>
        this.stripe.accounts.list({
          limit: PAGE_SIZE,
          ...(after ? { starting_after: after } : {}),
        }),
      );
    // A pipeline: page N+1 is fetched and page N's persons listed while earlier pages are written, up to
    // `writers` pages at once, each in its own transaction; a page's transaction moves the cursor past it only
    // once the page before it is committed, so the cursor never passes an account not written and a resumed
    // run never skips one. At most writers + 2 pages are held at once: memory stays flat.
    const writers = Math.min(Math.max(options.writers ?? 2, 1), 8);
    const inFlight = new Set<Promise<void>>();
    let failure: { error: unknown } | null = null;
    let fetching: Promise<Stripe.ApiList<Stripe.Account>> | null = list(cursor);
    let committed: Promise<number> = Promise.resolve(summary.synced);
    try {
      while (fetching && !failure) {
        const page: Stripe.ApiList<Stripe.Account> = await fetching;
        const last = page.data.length ? page.data[page.data.length - 1].id : null;
        fetching = page.has_more && last ? list(last) : null;
        const at = stripeTimeOf(page);
        const entries = await this.prepare(page.data, options, concurrency, summary);
        while (inFlight.size >= writers) await Promise.race(inFlight);
        if (failure) break;
        committed = this.write(entries, at, options, summary, last, committed);
        const writing: Promise<void> = committed.then(
          () => {
            summary.pages += 1;
            inFlight.delete(writing);
          },
          (error: unknown) => {
            failure ??= { error };
            inFlight.delete(writing);
          },
        );
        inFlight.add(writing);
      }
    } catch (error) {
      failure ??= { error };
    }
    // The pages being written are finished (their cursor kept) before the run stops; a fetch started ahead
    // is not waited for.
    await Promise.all(inFlight);
    if (failure) {
      void fetching?.catch(() => undefined);
      throw failure.error;
    }
    await this.cursors.complete(CURSOR, summary.synced);
    summary.seconds = (Date.now() - started) / 1000;
    this.logger.log(
      `accounts:sync: ${summary.synced} synced, ${summary.failed.length} failed, ${summary.pages} page(s) in ${summary.seconds.toFixed(1)} s`,
    );
    return summary;
  }

  /** Each account of a page with its complete external accounts and persons (fetched when not all given). */
  private async prepare(
    accounts: Stripe.Account[],
    options: AccountsSyncOptions,
    concurrency: number,
    summary: AccountsSyncSummary,
  ): Promise<SyncPageEntry[]> {
    const entries: SyncPageEntry[] = [];
    await runBounded(accounts, concurrency, async (account) => {
      try {
        const externals = account.external_accounts;
        let data = externals?.data ?? [];
        if (externals?.has_more) {
          data = [];
          await this.withBackoff(options, () =>
            this.stripe.accounts
              .listExternalAccounts(account.id, { limit: 100 })
              .autoPagingEach((external) => {
                data.push(external);
              }),
          );
        }
        const owner = options.ownerMetadataKey
          ? account.metadata?.[options.ownerMetadataKey]
          : undefined;
        entries.push({
          account: { ...account, external_accounts: { ...externals!, data, has_more: false } },
          externals: data,
          persons: await this.personsOf(account, options),
          ...(owner ? { owner } : {}),
        });
      } catch (error) {
        this.fail(account.id, error, options, summary);
      }
    });
    return entries;
  }

  /**
   * A page in one transaction, which moves the cursor past it once the page before (`previous`: the count
   * synced through it) is committed; if the page fails, account by account, so one bad account does not hold
   * back the others (the cursor then moves on its own). Answers the count synced through this page.
   */
  private async write(
    entries: SyncPageEntry[],
    at: Date,
    options: AccountsSyncOptions,
    summary: AccountsSyncSummary,
    last: string | null = null,
    previous: Promise<number> = Promise.resolve(0),
  ): Promise<number> {
    let written = entries.length;
    let through = 0;
    const advance = async (manager?: EntityManager) => {
      through =
        (await previous.catch((error: unknown) => Promise.reject(new RunStopped(error)))) + written;
      if (last) await this.cursors.advance(CURSOR, last, through, manager);
    };
    try {
      await this.pages.writePage(entries, at, advance);
      for (const entry of entries) this.done(entry, options, summary);
    } catch (error) {
      // The run stopped at an earlier page: this one is rolled back, and written again when it resumes.
      if (error instanceof RunStopped) throw error.reason;
      written = 0;
      for (const entry of entries) {
        try {
          await this.pages.writePage([entry], at);
          this.done(entry, options, summary);
          written += 1;
        } catch (error) {
          this.fail(entry.account.id, error, options, summary);
        }
      }
      try {
        await advance();
      } catch (error) {
        throw error instanceof RunStopped ? error.reason : error;
      }
    }
    return through;
  }

  /** One account, on its own (`--account`). */
  private async syncOne(
    account: Stripe.Account,
    at: Date,
    options: AccountsSyncOptions,
    summary: AccountsSyncSummary,
  ): Promise<void> {
    const entries = await this.prepare([account], options, 1, summary);
    await this.write(entries, at, options, summary);
  }

  private done(
    entry: SyncPageEntry,
    options: AccountsSyncOptions,
    summary: AccountsSyncSummary,
  ): void {
    summary.synced += 1;
    summary.externalAccounts += entry.externals.length;
    summary.persons += entry.persons?.length ?? 0;
    options.onAccount?.({ id: entry.account.id, ok: true });
  }

  private fail(
    id: string,
    error: unknown,
    options: AccountsSyncOptions,
    summary: AccountsSyncSummary,
  ): void {
    summary.failed.push({ id, message: messageOf(error) });
    this.logger.warn(`accounts:sync: ${id} failed: ${messageOf(error)}`);
    options.onAccount?.({ id, ok: false, error: messageOf(error) });
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
