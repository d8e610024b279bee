/**
 * Stripe-hosted onboarding: Express and Standard accounts with Account Links (single-use, short-lived), the
 * refresh and return routes Stripe sends browsers to (authenticated by a signed state), Express dashboard
 * login links, and OAuth for Standard accounts (authorize URL, callback, deauthorization).
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type Stripe from 'stripe';
import { DataSource } from 'typeorm';
import {
  createState,
  InvalidStateError,
  verifyState,
  type StatePayload,
} from '../common/signed-state.js';
import {
  AccountNotFoundError,
  FormValidationError,
  StripeConnectError,
} from '../common/stripe-connect.errors.js';
import { InjectStripeClient } from '../stripe/inject-stripe-client.decorator.js';
import { callStripe } from '../stripe/stripe-errors.js';
import { stripeTimeOf } from '../stripe/stripe-time.js';
import { STRIPE_CONNECT_OPTIONS } from '../stripe-connect.constants.js';
import type { ResolvedStripeConnectOptions, StripeConnectUser } from '../stripe-connect.options.js';
import type { Account } from './account.entity.js';
import { AccountsRepository } from './accounts.repository.js';
import { AccountsService } from './accounts.service.js';
import { countryRule } from './country-rules.js';
import type { CreateHostedAccountDto } from './dto/create-hosted-account.dto.js';

/** A browser-facing route was reached with a bad, expired or reused state: 400. */
export class OnboardingStateError extends StripeConnectError {
  readonly status = 400;
  readonly code = 'invalid_state';
}

/** The host did not configure what hosted onboarding needs (its public URL, the OAuth client id): 503. */
export class OnboardingNotConfiguredError extends StripeConnectError {
  readonly status = 503;
  readonly code = 'onboarding_not_configured';
}

/** How long the state of an Account Link's refresh and return URLs lives: one onboarding session. */
export const ONBOARDING_STATE_SECONDS = 2 * 3600;
const OAUTH_STATE_SECONDS = 15 * 60;
/** How long a used nonce is remembered: longer than any state lives, plus an hour. */
export const USED_STATE_RETENTION_SECONDS =
  Math.max(ONBOARDING_STATE_SECONDS, OAUTH_STATE_SECONDS) + 3600;

export interface OnboardingLink {
  url: string;
  expiresAt: Date;
}

@Injectable()
export class OnboardingService {
  private readonly logger = new Logger(OnboardingService.name);

  constructor(
    @Inject(STRIPE_CONNECT_OPTIONS) private readonly options: ResolvedStripeConnectOptions,
    @InjectStripeClient() private readonly stripe: Stripe,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly accounts: AccountsService,
    private readonly repository: AccountsRepository,
  ) {}

  private publicUrl(path: string): URL {
    const base = this.options.onboarding.publicUrl;
    if (!base)
      throw new OnboardingNotConfiguredError(
        'Hosted onboarding needs the publicUrl option (the app’s public base URL)',
      );
    return new URL(
      path.replace(/^\//, ''),
      base.href.endsWith('/') ? base : new URL(`${base.href}/`),
    );
  }

  /** Creates an Express or Standard account for the caller and its first onboarding link. */
  async createHosted(
    user: StripeConnectUser,
    form: CreateHostedAccountDto,
  ): Promise<{ account: Account; link: OnboardingLink }> {
    this.publicUrl('/'); // fail before creating anything when links cannot be made
    const country = form.country ?? 'US';
    const params: Stripe.AccountCreateParams = {
      type: form.type,
      country,
      default_currency: countryRule(country)!.currencies[0],
      metadata: { user_id: user.id },
      ...(form.email ? { email: form.email } : {}),
      ...(form.type === 'express'
        ? { capabilities: { card_payments: { requested: true }, transfers: { requested: true } } }
        : {}),
    };
    const account = await callStripe(() => this.stripe.accounts.create(params));
    await this.repository.saveSnapshot(account, user.id);
    this.logger.log(`${form.type} account ${account.id} created for user ${user.id}`);
    const stored = await this.accounts.get(user, account.id);
    return { account: stored, link: await this.link(user, stored, 'account_onboarding') };
  }

  /** A fresh Account Link for the account (`account_onboarding`, or `account_update` for custom accounts). */
  async onboardingLink(
    user: StripeConnectUser,
    id: string,
    type: 'account_onboarding' | 'account_update' = 'account_onboarding',
  ): Promise<OnboardingLink> {
    const account = await this.accounts.get(user, id);
    return this.link(user, account, type);
  }

  private async link(
    user: StripeConnectUser,
    account: Account,
    type: 'account_onboarding' | 'account_update',
  ): Promise<OnboardingLink> {
    // One single-use state per route, bound to the owner, the account and the link type.
    const stateFor = (route: 'refresh' | 'return') =>
      createState(
        this.options.onboarding.stateSecret,
        {
          purpose: 'onboarding',
          userId: account.userId ?? user.id,
          accountId: account.id,
          linkType: type,
          route,
        },
        ONBOARDING_STATE_SECONDS,
      );
    const refresh = this.publicUrl('/connect/onboarding/refresh');
    refresh.searchParams.set('state', stateFor('refresh'));
    const back = this.publicUrl('/connect/onboarding/return');
    back.searchParams.set('state', stateFor('return'));
    const link = await callStripe(() =>
      this.stripe.accountLinks.create({
        account: account.id,
        type,
        refresh_url: refresh.toString(),
        return_url: back.toString(),
      }),
    );
    return { url: link.url, expiresAt: new Date(link.expires_at * 1000) };
  }

  private checkState(state: unknown, purpose: StatePayload['purpose']): StatePayload {
    try {
      return verifyState(this.options.onboarding.stateSecret, state, purpose);
    } catch (error) {
      throw new OnboardingStateError(
        error instanceof InvalidStateError ? error.message : 'The state is not valid',
      );
    }
  }

  /**
   * Remembers a state's nonce: a second use of the same state is refused. Nonces used longer ago than any
   * state lives (plus an hour for clocks apart) are forgotten in the same statement: their states fail on
   * expiry anyway, so the table holds only the last few hours of uses.
   */
  private async useOnce(payload: StatePayload): Promise<void> {
    const claimed: unknown[] = await this.dataSource.query(
      `WITH "forgotten" AS (
         DELETE FROM "stripe_used_states" WHERE "used_at" < now() - make_interval(secs => $2)
       )
       INSERT INTO "stripe_used_states" ("nonce") VALUES ($1) ON CONFLICT DO NOTHING RETURNING "nonce"`,
      [payload.nonce, USED_STATE_RETENTION_SECONDS],
    );
    if (!claimed.length) throw new OnboardingStateError('The state was used already');
  }

  /** A valid, unused onboarding state made for `route`, now used. */
  private async onboardingState(
    state: unknown,
    route: 'refresh' | 'return',
  ): Promise<StatePayload> {
    const payload = this.checkState(state, 'onboarding');
    if (payload.route !== route || typeof payload.accountId !== 'string')
      throw new OnboardingStateError(`The state is not one of the ${route} route`);
    await this.useOnce(payload);
    return payload;
  }

  /**
   * The refresh route: the link expired or was used, so a fresh one of the same type for the same account
   * and user. Its state works once.
   */
  async refresh(state: unknown): Promise<OnboardingLink> {
    const payload = await this.onboardingState(state, 'refresh');
    const user = { id: payload.userId, platform: false };
    const account = await this.accounts.get(user, payload.accountId!);
    return this.link(user, account, payload.linkType ?? 'account_onboarding');
  }

  /** The return route: the user left Stripe's pages; the mirror is brought up to date from Stripe. */
  async returned(state: unknown): Promise<Account> {
    const payload = await this.onboardingState(state, 'return');
    const user = { id: payload.userId, platform: false };
    await this.accounts.get(user, payload.accountId!);
    const fresh = await callStripe(() => this.stripe.accounts.retrieve(payload.accountId!));
    await this.repository.saveSnapshot(fresh);
    return this.accounts.get(user, payload.accountId!);
  }

  /** An Express dashboard login link. */
  async loginLink(user: StripeConnectUser, id: string): Promise<string> {
    const account = await this.accounts.get(user, id);
    if (account.type !== 'express')
      throw new FormValidationError({ account: ['Login links exist for Express accounts only'] });
    const link = await callStripe(() => this.stripe.accounts.createLoginLink(account.id));
    return link.url;
  }

  private clientId(): string {
    const id = this.options.onboarding.oauthClientId;
    if (!id)
      throw new OnboardingNotConfiguredError(
        'OAuth needs the oauthClientId option (the platform’s ca_… client id)',
      );
    return id;
  }

  /** Stripe's OAuth authorize URL, with a single-use state bound to the caller. */
  authorizeUrl(user: StripeConnectUser): { url: string; expiresAt: Date } {
    const state = createState(
      this.options.onboarding.stateSecret,
      { purpose: 'oauth', userId: user.id },
      OAUTH_STATE_SECONDS,
    );
    const params = {
      response_type: 'code' as const,
      client_id: this.clientId(),
      scope: 'read_write' as const,
      state,
      redirect_uri: this.publicUrl('/connect/oauth/callback').toString(),
    };
    const stripeApi = this.options.stripe.available ? this.options.stripe.apiBase : null;
    let url: string;
    if (stripeApi && stripeApi.hostname !== 'api.stripe.com') {
      // A Stripe-compatible server (the sandbox) serves OAuth on its own host; the SDK would build https.
      const target = new URL('/oauth/authorize', stripeApi);
      for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
      url = target.toString();
    } else url = this.stripe.oauth.authorizeUrl(params);
    return {
      url,
      expiresAt: new Date((Math.floor(Date.now() / 1000) + OAUTH_STATE_SECONDS) * 1000),
    };
  }

  /** The OAuth callback: checks the single-use state, exchanges the code, stores the account with its owner. */
  async oauthCallback(query: {
    code?: unknown;
    state?: unknown;
    error?: unknown;
    error_description?: unknown;
  }): Promise<Account> {
    const payload = this.checkState(query.state, 'oauth');
    await this.useOnce(payload);
    if (query.error !== undefined)
      throw new FormValidationError(
        {
          code: [
            typeof query.error_description === 'string'
              ? query.error_description.slice(0, 500)
              : 'Stripe did not connect the account',
          ],
        },
        'Stripe did not connect the account',
      );
    const code = query.code;
    if (typeof code !== 'string' || !code)
      throw new FormValidationError({ code: ['code is required'] });
    const token = await callStripe(
      () => this.stripe.oauth.token({ grant_type: 'authorization_code', code }),
      { code: 'code' },
    );
    const accountId = token.stripe_user_id!;
    const account = await callStripe(() => this.stripe.accounts.retrieve(accountId));
    await this.repository.saveSnapshot(account, payload.userId);
    await this.repository.saveAuthorization(accountId, true, stripeTimeOf(token));
    this.logger.log(
      `standard account ${accountId} connected through OAuth for user ${payload.userId}`,
    );
    return this.accounts.get({ id: payload.userId, platform: false }, accountId);
  }

  /**
   * Disconnects an OAuth-connected (standard) account from the platform and marks it; the row is kept.
   * Custom and express accounts belong to the platform: they are not disconnected (400, nothing changes,
   * the mirror included); the platform closes them through Stripe instead.
   */
  async deauthorize(user: StripeConnectUser, id: string): Promise<Account> {
    const account = await this.accounts.get(user, id);
    if (account.type !== 'standard')
      throw new FormValidationError(
        {
          account: [
            `Only accounts connected through OAuth (standard) can be disconnected; this one is ${account.type}`,
          ],
        },
        'This account cannot be disconnected',
      );
    if (!account.authorized) throw new AccountNotFoundError(id);
    const answer = await callStripe(() =>
      this.stripe.oauth.deauthorize({ client_id: this.clientId(), stripe_user_id: account.id }),
    );
    await this.repository.saveAuthorization(account.id, false, stripeTimeOf(answer));
    this.logger.log(
      `account ${account.id} deauthorized by ${user.platform ? 'the platform' : `user ${user.id}`}`,
    );
    return this.accounts.get(user, id);
  }
}
