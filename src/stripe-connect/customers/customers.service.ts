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
import {
  AccountNotFoundError,
  FormValidationError,
  StripeConnectError,
  StripeRequestError,
} from '../common/stripe-connect.errors.js';
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
  /** A PaymentMethod (`pm_…`, or a test one such as `pm_card_visa`) saved as the customer's default card. */
  paymentMethod?: string;
}

/** No platform customer of that id (or the caller's, for `me`): 404. */
export class CustomerNotFoundError extends StripeConnectError {
  readonly status = 404;
  readonly code = 'customer_not_found';
}

/** Stripe's params of a saved-card change → the request's field. */
const CARD_FIELDS = {
  customer: 'paymentMethod',
  id: 'paymentMethod',
  payment_method: 'paymentMethod',
  'invoice_settings[default_payment_method]': 'paymentMethod',
};

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
    options: { stripeAccount?: string; idempotencyKey?: string } & CustomerDetails = {},
  ): Promise<{ customer: Customer; created: boolean }> {
    const result = await this.findOrCreate(userId, options);
    if (!options.paymentMethod) return result;
    const customer = await this.saveCard(result.customer, options.paymentMethod, {
      idempotencyKey: options.idempotencyKey,
    });
    return { customer, created: result.created };
  }

  private async findOrCreate(
    userId: string,
    options: { stripeAccount?: string } & CustomerDetails,
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

  /** The platform customer of that id (not a connected account's), or 404. */
  async platformCustomer(id: string): Promise<Customer> {
    const customer = await this.customers.findPlatformCustomerById(id);
    if (!customer) throw new CustomerNotFoundError(`No platform customer ${id.slice(0, 64)}`);
    return customer;
  }

  /**
   * Saves a card as the customer's default payment method (pinax-stripe's `sources.create_card` on the
   * customer): attached to the customer (Stripe copies a test one such as `pm_card_visa` into a new `pm_…`),
   * made its `invoice_settings.default_payment_method`, mirrored with its brand, last 4 and expiry; the card it
   * replaces is detached. With an idempotency key, a retried request attaches nothing twice.
   */
  async saveCard(
    customer: Customer,
    paymentMethod: string,
    options: { idempotencyKey?: string } = {},
  ): Promise<Customer> {
    const as = customer.accountId ? { stripeAccount: customer.accountId } : {};
    const key = options.idempotencyKey
      ? `connect-card:${customer.id}:${options.idempotencyKey}`
      : undefined;
    const before = await callStripe(() => this.stripe.customers.retrieve(customer.id, {}, as));
    if ((before as Stripe.DeletedCustomer).deleted)
      throw new CustomerNotFoundError(`Customer ${customer.id} was deleted`);
    const previous = idOfMethod(
      (before as Stripe.Customer).invoice_settings?.default_payment_method,
    );
    const attached = await this.cardCall(() =>
      this.stripe.paymentMethods.attach(
        paymentMethod,
        { customer: customer.id },
        { ...as, ...(key ? { idempotencyKey: `${key}:attach` } : {}) },
      ),
    );
    const updated = await this.cardCall(() =>
      this.stripe.customers.update(
        customer.id,
        {
          invoice_settings: { default_payment_method: attached.id },
          expand: ['invoice_settings.default_payment_method'],
        },
        { ...as, ...(key ? { idempotencyKey: `${key}:default` } : {}) },
      ),
    );
    await this.mirror.saveAnswer(
      { family: 'customer', accountId: customer.accountId, customer: updated, deleted: false },
      updated,
    );
    if (previous && previous !== attached.id) {
      // The card it replaces: one saved card per customer. A failure here leaves an extra card, not a wrong one.
      await this.stripe.paymentMethods.detach(previous, {}, as).catch((error: unknown) => {
        this.logger.warn(
          `customer ${customer.id}: the replaced payment method ${previous} was not detached (${(error as Error).name})`,
        );
      });
    }
    this.logger.log(`customer ${customer.id} saved a card (${attached.id})`);
    return (await this.customers.findById(customer.id))!;
  }

  /**
   * The default payment method of a customer, read from Stripe (null when none is saved); a customer Stripe
   * does not have is a 400 on `customer`.
   */
  async defaultPaymentMethod(customerId: string, accountId: string | null): Promise<string | null> {
    let customer: Stripe.Customer | Stripe.DeletedCustomer;
    try {
      customer = await callStripe(() =>
        this.stripe.customers.retrieve(
          customerId,
          {},
          accountId ? { stripeAccount: accountId } : {},
        ),
      );
    } catch (error) {
      if (error instanceof StripeRequestError && error.status === 404)
        throw new FormValidationError({ customer: ['No such customer'] });
      throw error;
    }
    if ((customer as Stripe.DeletedCustomer).deleted)
      throw new FormValidationError({ customer: ['The customer was deleted'] });
    return idOfMethod((customer as Stripe.Customer).invoice_settings?.default_payment_method);
  }

  /** A Stripe call about a card: a payment method Stripe does not have is a 400 on `paymentMethod`. */
  private async cardCall<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await callStripe(call, CARD_FIELDS);
    } catch (error) {
      if (error instanceof StripeRequestError && error.status === 404)
        throw new FormValidationError({ paymentMethod: ['No such payment method'] });
      throw error;
    }
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

function idOfMethod(method: string | Stripe.PaymentMethod | null | undefined): string | null {
  if (!method) return null;
  return typeof method === 'string' ? method : method.id;
}
