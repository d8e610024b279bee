import { Injectable, Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import {
  AccountNotFoundError,
  FormValidationError,
  PlatformOnlyError,
  StripeConnectError,
  StripeRequestError,
} from '../common/stripe-connect.errors.js';
import { callStripe } from '../stripe/stripe-errors.js';
import { stripeTimeOf } from '../stripe/stripe-time.js';
import { InjectStripeClient } from '../stripe/inject-stripe-client.decorator.js';
import type { StripeConnectUser } from '../stripe-connect.options.js';
import type { Account } from './account.entity.js';
import { AccountsRepository } from './accounts.repository.js';
import { countryRule } from './country-rules.js';
import type { InitialCustomAccountDto } from './dto/initial-custom-account.dto.js';
import type { AddExternalAccountDto } from './dto/external-account.dto.js';
import type { AccountListQueryDto } from './dto/account-list.dto.js';
import { pageRequestOf, type Page } from '../common/cursor-page.js';
import type { ExternalAccount } from './external-account.entity.js';
import {
  externalAccountParams,
  personParams,
  validateBankAccount,
  validateInitialForm,
} from './onboarding-validation.js';

/** A bank account that is not one of the account's: 404. */
export class ExternalAccountNotFoundError extends StripeConnectError {
  readonly status = 404;
  readonly code = 'external_account_not_found';
  constructor(id: string) {
    super(`No such external account: ${id}`);
  }
}

/** Where the request came from, for the terms acceptance, and the caller's idempotency key. */
export interface RequestMeta {
  ip: string;
  userAgent?: string;
  idempotencyKey?: string;
}

/** The client's IP as Stripe takes it: an IPv4-mapped IPv6 address (`::ffff:1.2.3.4`) becomes `1.2.3.4`. */
export function clientIp(ip: string | undefined): string {
  const value = (ip ?? '').trim();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(value);
  return mapped ? mapped[1] : value || '0.0.0.0';
}

/** Stripe's parameter roots → the initial form's field names, for errors Stripe returns. */
const FORM_FIELDS: Record<string, string> = {
  external_account: 'bankAccount',
  tos_acceptance: 'tosAccepted',
  default_currency: 'currency',
  business_type: 'businessType',
};

/** The Stripe time a freshly created account's snapshot stands for. */
@Injectable()
export class AccountsService {
  private readonly logger = new Logger(AccountsService.name);

  constructor(
    @InjectStripeClient() private readonly stripe: Stripe,
    private readonly accounts: AccountsRepository,
  ) {}

  /**
   * Creates a custom account from the initial onboarding form: country rules checked first (nothing is sent
   * to Stripe when they fail), then one Stripe call (idempotent with the caller's key), then the account is
   * stored with its owner. Stripe's rejections land on the form's fields; nothing is stored then.
   */
  async createCustom(
    user: StripeConnectUser,
    form: InitialCustomAccountDto,
    meta: RequestMeta,
  ): Promise<Account> {
    const errors = validateInitialForm(form);
    if (Object.keys(errors).length) throw new FormValidationError(errors);
    // A retried submission answers the account the first one created (its key is in the metadata).
    if (meta.idempotencyKey) {
      const created = await this.accounts.findCreatedWithKey(user.id, meta.idempotencyKey);
      if (created) return created;
    }
    const rule = countryRule(form.country)!;
    const currency = form.currency ?? rule.currencies[0];
    const params: Stripe.AccountCreateParams = {
      type: 'custom',
      country: rule.country,
      business_type: form.businessType,
      default_currency: currency,
      capabilities: { card_payments: { requested: true }, transfers: { requested: true } },
      external_account: externalAccountParams(rule.country, currency, form.bankAccount),
      tos_acceptance: {
        date: Math.floor(Date.now() / 1000),
        ip: clientIp(meta.ip),
        ...(meta.userAgent ? { user_agent: meta.userAgent.slice(0, 500) } : {}),
      },
      metadata: {
        user_id: user.id,
        ...(meta.idempotencyKey ? { idempotency_key: meta.idempotencyKey } : {}),
      },
      ...(form.email || form.individual?.email
        ? { email: form.email ?? form.individual!.email }
        : {}),
      ...(form.businessProfile
        ? {
            business_profile: {
              ...(form.businessProfile.mcc ? { mcc: form.businessProfile.mcc } : {}),
              ...(form.businessProfile.url ? { url: form.businessProfile.url } : {}),
              ...(form.businessProfile.productDescription
                ? { product_description: form.businessProfile.productDescription }
                : {}),
            },
          }
        : {}),
    };
    if (form.businessType === 'individual')
      params.individual = personParams(rule.country, form.individual!);
    else {
      const company = form.company!;
      params.company = {
        name: company.name,
        tax_id: company.taxId.replace(/[\s-]/g, ''),
        phone: company.phone,
        address: personParams(rule.country, { ...company.representative, address: company.address })
          .address,
      };
    }
    // The caller's key is scoped to the caller, so that one user's key can never replay another's account.
    const key = meta.idempotencyKey
      ? `connect-account:${user.id}:${meta.idempotencyKey}`
      : undefined;
    let account = await callStripe(
      () => this.stripe.accounts.create(params, key ? { idempotencyKey: key } : {}),
      FORM_FIELDS,
    );
    if (form.businessType === 'company') {
      const representative = form.company!.representative;
      await callStripe(
        () =>
          this.stripe.accounts.createPerson(
            account.id,
            {
              ...personParams(rule.country, representative),
              relationship: {
                representative: true,
                executive: true,
                ...(representative.title ? { title: representative.title } : {}),
              },
            },
            key ? { idempotencyKey: `${key}:representative` } : {},
          ),
        { '': 'company.representative' },
      ).catch(async (error: unknown) => {
        // The account exists at Stripe: keep it, owned, so the follow-up form can complete it.
        await this.accounts.saveSnapshot(account, user.id);
        throw error;
      });
      account = await callStripe(() => this.stripe.accounts.retrieve(account.id));
    }
    await this.accounts.saveSnapshot(account, user.id);
    this.logger.log(
      `custom account ${account.id} created for user ${user.id} (${rule.country}, ${form.businessType})`,
    );
    return (await this.accounts.findVisible(account.id, user))!;
  }

  /**
   * Makes sure the mirror has the account (fetched from Stripe when missing): money rows refer to it. With
   * `field`, an account Stripe does not have is a 400 on that request field.
   */
  async ensureMirrored(id: string, field?: string): Promise<void> {
    if (await this.accounts.exists(id)) return;
    let account: Stripe.Account;
    try {
      account = await callStripe(() => this.stripe.accounts.retrieve(id));
    } catch (error) {
      // A request naming an account that does not exist: a bad parameter, on the caller's field.
      if (field && error instanceof StripeRequestError && error.status === 404)
        throw new FormValidationError(
          { [field]: [`No such connected account: ${id}`] },
          `No such connected account: ${id}`,
        );
      throw error;
    }
    await this.accounts.saveSnapshot(account);
  }

  /** The account's external accounts, from the mirror. */
  async externalAccounts(user: StripeConnectUser, id: string): Promise<ExternalAccount[]> {
    return (await this.get(user, id)).externalAccounts ?? [];
  }

  /** Adds a bank account to a custom account (checked by its country's rules first), and mirrors it. */
  async addExternalAccount(
    user: StripeConnectUser,
    id: string,
    form: AddExternalAccountDto,
    idempotencyKey?: string,
  ): Promise<ExternalAccount> {
    const account = await this.get(user, id);
    if (account.type !== 'custom') {
      throw new FormValidationError({
        bankAccount: ['bank accounts are added by the platform to custom accounts only'],
      });
    }
    const country = account.country ?? 'US';
    const currency =
      form.currency ?? account.defaultCurrency ?? countryRule(country)?.currencies[0] ?? 'usd';
    const errors = validateBankAccount(country, currency, form.bankAccount);
    if (Object.keys(errors).length) throw new FormValidationError(errors);
    const created = await callStripe(
      () =>
        this.stripe.accounts.createExternalAccount(
          id,
          {
            external_account: externalAccountParams(
              country,
              currency,
              form.bankAccount,
            ) as unknown as string,
            ...(form.defaultForCurrency ? { default_for_currency: true } : {}),
          },
          idempotencyKey
            ? { idempotencyKey: `connect-bank:${user.id}:${id}:${idempotencyKey}` }
            : {},
        ),
      { external_account: 'bankAccount', default_for_currency: 'defaultForCurrency' },
    );
    const fresh = await callStripe(() => this.stripe.accounts.retrieve(id));
    await this.accounts.saveSnapshot(fresh);
    const mirrored = (await this.get(user, id)).externalAccounts?.find((e) => e.id === created.id);
    if (!mirrored) throw new Error(`External account ${created.id} was not mirrored`);
    return mirrored;
  }

  /**
   * Who may list what in the back office: the platform everything (optionally one account's); an owner only
   * their own account's, named in `account` (another's is a 404).
   */
  async checkListScope(user: StripeConnectUser, account: string | undefined): Promise<void> {
    if (user.platform) return;
    if (!account) {
      throw new FormValidationError({
        account: ['account is required: name one of your connected accounts'],
      });
    }
    await this.get(user, account);
  }

  /** A bank account of a custom account the caller may manage (404 otherwise). */
  private async ownExternal(
    user: StripeConnectUser,
    id: string,
    externalId: string,
  ): Promise<{ account: Account; external: ExternalAccount }> {
    const account = await this.get(user, id);
    const external = account.externalAccounts?.find((e) => e.id === externalId);
    if (!external) throw new ExternalAccountNotFoundError(externalId);
    if (account.type !== 'custom') {
      throw new FormValidationError({
        externalAccount: ['bank accounts are managed by the platform for custom accounts only'],
      });
    }
    return { account, external };
  }

  /** The account's snapshot afresh from Stripe, with its external accounts (a removed one disappears). */
  private async refresh(id: string): Promise<void> {
    const fresh = await callStripe(() => this.stripe.accounts.retrieve(id));
    await this.accounts.saveSnapshot(fresh);
  }

  /**
   * Removes a bank account (pinax-stripe's `bank_accounts.delete`). The default one of the account's default
   * currency cannot go: make another the default first.
   */
  async deleteExternalAccount(
    user: StripeConnectUser,
    id: string,
    externalId: string,
  ): Promise<void> {
    const { account, external } = await this.ownExternal(user, id, externalId);
    if (external.defaultForCurrency && external.currency === account.defaultCurrency) {
      throw new FormValidationError({
        externalAccount: [
          `the default bank account for ${external.currency} cannot be removed: make another one the default first`,
        ],
      });
    }
    const deleted = await callStripe(
      () => this.stripe.accounts.deleteExternalAccount(id, externalId),
      { external_account: 'externalAccount' },
    );
    await this.accounts.deleteExternalAccount(externalId, stripeTimeOf(deleted));
    await this.refresh(id);
    this.logger.log(`external account ${externalId} of ${id} removed`);
  }

  /** Makes a bank account the payout destination for its currency (pinax-stripe's `default_for_currency`). */
  async setDefaultExternalAccount(
    user: StripeConnectUser,
    id: string,
    externalId: string,
  ): Promise<ExternalAccount> {
    await this.ownExternal(user, id, externalId);
    await callStripe(
      () =>
        this.stripe.accounts.updateExternalAccount(id, externalId, {
          default_for_currency: true,
        }),
      { default_for_currency: 'defaultForCurrency' },
    );
    await this.refresh(id);
    return (await this.ownExternal(user, id, externalId)).external;
  }

  async get(user: StripeConnectUser, id: string): Promise<Account> {
    const account = await this.accounts.findVisible(id, user);
    if (!account) throw new AccountNotFoundError(id);
    return account;
  }

  /**
   * A page of the caller's accounts (every account for the platform, or one user's with `user`), newest
   * first. `user` is the platform's filter: an owner asking for someone else's accounts is refused.
   */
  list(user: StripeConnectUser, query: AccountListQueryDto): Promise<Page<Account>> {
    if (query.user !== undefined && !user.platform && query.user !== user.id)
      throw new PlatformOnlyError('Only the platform may list another user’s accounts');
    return this.accounts.list({
      ...pageRequestOf(query),
      userId: user.platform ? query.user : user.id,
      type: query.type,
      status: query.status,
    });
  }
}
