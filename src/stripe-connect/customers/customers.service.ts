/**
 * Customers of the platform's users: one platform customer per user, and one customer per (user, connected
 * account) linked through UserAccount (pinax-stripe's `customers.create(user, stripe_account=…)` and
 * `get_customer_for_user`). Creation is exactly-once: the Stripe call's idempotency key is derived from the
 * user and the account, so concurrent creates end with one customer and one link.
 */
import { Injectable, Logger } from '@nestjs/common';
import { MirrorService } from '../webhooks/mirror.service.js';
import Stripe from 'stripe';
import { pageRequestOf, type Page } from '../common/cursor-page.js';
import { AccountNotFoundError, StripeConnectError } from '../common/stripe-connect.errors.js';
import { InjectStripeClient } from '../stripe/inject-stripe-client.decorator.js';
import { callStripe } from '../stripe/stripe-errors.js';
import type { Customer } from './customer.entity.js';
import { CustomersRepository } from './customers.repository.js';
import type { CustomerListQueryDto } from './dto/customer-list.dto.js';

/** The seller's account cannot take payments yet: 409. */
export class AccountNotEnabledError extends StripeConnectError {
  readonly status = 409;
  readonly code = 'account_not_enabled';
}

export interface CustomerDetails {
  email?: string;
  name?: string;
}

@Injectable()
export class CustomersService {
  private readonly logger = new Logger(CustomersService.name);

  constructor(
    @InjectStripeClient() private readonly stripe: Stripe,
    private readonly customers: CustomersRepository,
    private readonly mirror: MirrorService,
  ) {}

  /** The user's customer on the account (or on the platform), if there is one. */
  async getCustomerForUser(
    userId: string,
    options: { stripeAccount?: string } = {},
  ): Promise<Customer | null> {
    if (!options.stripeAccount) return this.customers.findPlatformCustomer(userId);
    return this.customers.findConnectedCustomer(userId, options.stripeAccount);
  }

  /**
   * The user's customer on the account (or on the platform): created at Stripe and linked the first time,
   * the same one afterwards; a linked customer Stripe no longer has is replaced and relinked.
   * `created` tells whether this call created it.
   */
  async create(
    userId: string,
    options: { stripeAccount?: string } & CustomerDetails = {},
  ): Promise<{ customer: Customer; created: boolean }> {
    const accountId = options.stripeAccount ?? null;
    if (accountId) {
      const account = await this.customers.findAccount(accountId);
      if (!account || !account.authorized || account.deletedAt)
        throw new AccountNotFoundError(accountId);
      if (!account.chargesEnabled)
        throw new AccountNotEnabledError(`${accountId} cannot take payments yet`);
    }
    const existing = await this.getCustomerForUser(userId, {
      stripeAccount: accountId ?? undefined,
    });
    let replaces: string | undefined;
    if (existing) {
      if (await this.stillAtStripe(existing)) return { customer: existing, created: false };
      replaces = existing.id;
    }
    const params: Stripe.CustomerCreateParams = {
      metadata: { user_id: userId },
      ...(options.email ? { email: options.email } : {}),
      ...(options.name ? { name: options.name } : {}),
    };
    // One key per user and account (and per replaced customer): concurrent creates get the same customer.
    const key = `connect-customer:${accountId ?? 'platform'}:${userId}${replaces ? `:replaces:${replaces}` : ''}`;
    const remote = await callStripe(() =>
      this.stripe.customers.create(params, {
        idempotencyKey: key,
        ...(accountId ? { stripeAccount: accountId } : {}),
      }),
    );
    // The customer as Stripe holds it (a replayed answer is re-fetched), guarded by its time.
    await this.mirror.saveAnswer(
      { family: 'customer', accountId, customer: remote, deleted: false },
      remote,
    );
    await this.customers.linkCreated(remote.id, userId, accountId, replaces);
    const customer = (await this.getCustomerForUser(userId, {
      stripeAccount: accountId ?? undefined,
    }))!;
    if (replaces) {
      this.logger.log(
        `customer ${replaces} of user ${userId} on ${accountId ?? 'platform'} was gone at Stripe; relinked to ${remote.id}`,
      );
    }
    return { customer, created: true };
  }

  /** A page of customers: connected ones (optionally of one account), or platform ones. */
  list(query: CustomerListQueryDto): Promise<Page<Customer>> {
    return this.customers.list({
      ...pageRequestOf(query),
      account: query.account,
      platform: query.platform,
    });
  }

  private async stillAtStripe(customer: Customer): Promise<boolean> {
    try {
      const remote = await this.stripe.customers.retrieve(
        customer.id,
        {},
        customer.accountId ? { stripeAccount: customer.accountId } : {},
      );
      return !(remote as Stripe.DeletedCustomer).deleted;
    } catch (error) {
      if (
        error instanceof Stripe.errors.StripeInvalidRequestError &&
        error.code === 'resource_missing'
      )
        return false;
      throw error;
    }
  }
}
