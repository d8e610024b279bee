/**
 * Charges on behalf of connected accounts (one PaymentIntent each): destination charges with
 * `transfer_data`, direct charges on the connected account, application fees, manual capture, refunds.
 * Every money-moving call carries an idempotency key (the caller's, or a fresh one the SDK reuses on its own
 * retries), so a retried request moves no money twice and answers as the first did.
 */
import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { MirrorService } from '../webhooks/mirror.service.js';
import Stripe from 'stripe';
import { AccountsService } from '../accounts/accounts.service.js';
import { CustomersService } from '../customers/customers.service.js';
import { pageRequestOf, type Page } from '../common/cursor-page.js';
import { FormValidationError, StripeConnectError } from '../common/stripe-connect.errors.js';
import type { StripeConnectUser } from '../stripe-connect.options.js';
import type { ApplicationFee } from './application-fee.entity.js';
import { chargeAmountProblem } from '../stripe/currency.js';
import { InjectStripeClient } from '../stripe/inject-stripe-client.decorator.js';
import { callStripe } from '../stripe/stripe-errors.js';
import { idOf } from '../stripe/stripe-id.js';
import { stripeTimeOf } from '../stripe/stripe-time.js';
import { paymentIntentValues, refundValues } from './charge-mirror.js';
import { Charge } from './charge.entity.js';
import { ChargesRepository } from './charges.repository.js';
import type { CreateChargeDto, CreateRefundDto } from './dto/charge.dto.js';
import type {
  ApplicationFeeListQueryDto,
  ChargeListQueryDto,
  RefundListQueryDto,
} from './dto/charge-list.dto.js';
import { Refund } from './refund.entity.js';

export class ChargeNotFoundError extends StripeConnectError {
  readonly status = 404;
  readonly code = 'charge_not_found';
  constructor(id: string) {
    super(`No such charge: ${id}`);
  }
}

/** Stripe params → the charge form's fields. */
const FIELDS: Record<string, string> = {
  payment_method: 'paymentMethod',
  application_fee_amount: 'applicationFeeAmount',
  'transfer_data[destination]': 'destination',
  'transfer_data[amount]': 'transferAmount',
  on_behalf_of: 'onBehalfOf',
  transfer_group: 'transferGroup',
  capture_method: 'captureMethod',
  amount_to_capture: 'amount',
};

@Injectable()
export class ChargesService {
  private readonly logger = new Logger(ChargesService.name);

  constructor(
    @InjectStripeClient() private readonly stripe: Stripe,
    private readonly charges: ChargesRepository,
    private readonly accounts: AccountsService,
    private readonly mirror: MirrorService,
    private readonly customers: CustomersService,
  ) {}

  /**
   * Writes the answer's PaymentIntent to the mirror (re-fetched when Stripe replayed the answer) and answers
   * with what Stripe answered: a request retried with its key answers as the first one did, while the mirror
   * holds the newest state. A PaymentIntent answer carries no refund or dispute yet.
   */
  private async save(
    intent: Stripe.PaymentIntent,
    accountId: string | null,
    answer: unknown = intent,
  ): Promise<Charge> {
    await this.mirror.saveAnswer({ family: 'payment_intent', accountId, intent }, answer);
    return Object.assign(new Charge(), {
      ...paymentIntentValues(intent, accountId, stripeTimeOf(answer)),
      amountRefunded: 0,
      disputed: false,
    });
  }

  /**
   * Charges a payment method: a destination charge (`destination`), a direct one (`account`), or the
   * platform's. Without `paymentMethod`, the `customer`'s saved card (its default payment method) is charged
   * (pinax-stripe's `charges.create(amount, customer, destination_account=…)`).
   */
  async create(form: CreateChargeDto, idempotencyKey: string = randomUUID()): Promise<Charge> {
    const errors: Record<string, string[]> = {};
    const problem = chargeAmountProblem(form.amount, form.currency);
    if (problem) errors.amount = [`amount ${problem}`];
    if (form.destination && form.account)
      errors.account = ['a charge is either a destination charge or a direct one'];
    if (form.transferAmount !== undefined && !form.destination)
      errors.transferAmount = ['transferAmount needs a destination'];
    if (form.transferAmount !== undefined && form.applicationFeeAmount !== undefined) {
      errors.transferAmount = ['use either transferAmount or applicationFeeAmount'];
    }
    if (form.applicationFeeAmount !== undefined && form.applicationFeeAmount > form.amount) {
      errors.applicationFeeAmount = ['applicationFeeAmount cannot exceed amount'];
    }
    if (form.applicationFeeAmount !== undefined && !form.destination && !form.account) {
      errors.applicationFeeAmount = ['an application fee needs a destination or an account'];
    }
    if (!form.paymentMethod && !form.customer)
      errors.paymentMethod = ['paymentMethod is required unless a customer with a saved card pays'];
    if (Object.keys(errors).length) throw new FormValidationError(errors);
    const paymentMethod =
      form.paymentMethod ??
      (await this.customers.defaultPaymentMethod(form.customer!, form.account ?? null));
    if (!paymentMethod)
      throw new FormValidationError({
        paymentMethod: ['the customer has no saved card: give paymentMethod'],
      });
    for (const field of ['destination', 'account', 'onBehalfOf'] as const) {
      const id = form[field];
      if (id) await this.accounts.ensureMirrored(id, field);
    }
    const params: Stripe.PaymentIntentCreateParams = {
      amount: form.amount,
      currency: form.currency,
      payment_method: paymentMethod,
      confirm: true,
      // A saved card is charged without its holder present.
      ...(form.paymentMethod ? {} : { off_session: true }),
      capture_method: form.captureMethod ?? 'automatic',
      ...(form.customer ? { customer: form.customer } : {}),
      ...(form.description ? { description: form.description } : {}),
      ...(form.metadata ? { metadata: form.metadata } : {}),
      ...(form.applicationFeeAmount !== undefined
        ? { application_fee_amount: form.applicationFeeAmount }
        : {}),
      ...(form.destination
        ? {
            transfer_data: {
              destination: form.destination,
              ...(form.transferAmount !== undefined ? { amount: form.transferAmount } : {}),
            },
          }
        : {}),
      ...(form.onBehalfOf ? { on_behalf_of: form.onBehalfOf } : {}),
      ...(form.transferGroup ? { transfer_group: form.transferGroup } : {}),
    };
    const accountId = form.account ?? null;
    try {
      const intent = await callStripe(
        () =>
          this.stripe.paymentIntents.create(params, {
            idempotencyKey,
            ...(accountId ? { stripeAccount: accountId } : {}),
          }),
        FIELDS,
      );
      this.logger.log(
        `charge ${intent.id} ${intent.status} (${form.amount} ${form.currency}${accountId ? ` on ${accountId}` : ''})`,
      );
      return this.save(intent, accountId);
    } catch (error) {
      // A decline: the PaymentIntent exists with its error; keep it, then answer 402.
      const cause = (error as { cause?: unknown }).cause;
      const intent =
        cause instanceof Stripe.errors.StripeCardError ? cause.payment_intent : undefined;
      if (intent?.id) await this.save(intent, accountId, cause);
      throw error;
    }
  }

  /** A page of charges: the platform's, or an owner's account's (direct, destination, on behalf of). */
  async list(user: StripeConnectUser, query: ChargeListQueryDto): Promise<Page<Charge>> {
    await this.accounts.checkListScope(user, query.account);
    return this.charges.listCharges({
      ...pageRequestOf(query),
      account: query.account,
      status: query.status,
      customer: query.customer,
    });
  }

  listRefunds(query: RefundListQueryDto): Promise<Page<Refund>> {
    return this.charges.listRefunds({
      ...pageRequestOf(query),
      account: query.account,
      status: query.status,
      charge: query.charge,
    });
  }

  listApplicationFees(query: ApplicationFeeListQueryDto): Promise<Page<ApplicationFee>> {
    return this.charges.listApplicationFees({
      ...pageRequestOf(query),
      account: query.account,
      refunded: query.refunded,
    });
  }

  async get(id: string): Promise<Charge> {
    const charge = await this.charges.findCharge(id);
    if (!charge) throw new ChargeNotFoundError(id);
    return charge;
  }

  /** Captures an authorised charge, all or part, on the account it lives on. */
  async capture(
    id: string,
    amount?: number,
    idempotencyKey: string = randomUUID(),
  ): Promise<Charge> {
    const charge = await this.get(id);
    const intent = await callStripe(
      () =>
        this.stripe.paymentIntents.capture(
          id,
          amount !== undefined ? { amount_to_capture: amount } : {},
          { idempotencyKey, ...(charge.accountId ? { stripeAccount: charge.accountId } : {}) },
        ),
      FIELDS,
    );
    return this.save(intent, charge.accountId);
  }

  /** Cancels a charge not captured yet (an authorisation is released), on the account it lives on. */
  async cancel(id: string, idempotencyKey: string = randomUUID()): Promise<Charge> {
    const charge = await this.get(id);
    const intent = await callStripe(() =>
      this.stripe.paymentIntents.cancel(
        id,
        {},
        { idempotencyKey, ...(charge.accountId ? { stripeAccount: charge.accountId } : {}) },
      ),
    );
    return this.save(intent, charge.accountId);
  }

  /**
   * Refunds all or part of what remains, on the charge's own account (direct charges included). With an
   * idempotency key, Stripe decides (a retry answers as the first request did, whatever the mirror holds
   * now); without one, what remains is checked here first.
   */
  async refund(id: string, form: CreateRefundDto, idempotencyKey?: string): Promise<Refund> {
    const charge = await this.get(id);
    const remaining = charge.amountCaptured - charge.amountRefunded;
    if (!idempotencyKey && form.amount !== undefined && form.amount > remaining) {
      throw new FormValidationError({
        amount: [`amount cannot exceed what remains to refund (${remaining})`],
      });
    }
    if (form.reverseTransfer && !charge.destinationAccountId) {
      throw new FormValidationError({
        reverseTransfer: ['only destination charges have a transfer to reverse'],
      });
    }
    const as = charge.accountId ? { stripeAccount: charge.accountId } : {};
    const refund = await callStripe(
      () =>
        this.stripe.refunds.create(
          {
            payment_intent: id,
            ...(form.amount !== undefined ? { amount: form.amount } : {}),
            ...(form.reverseTransfer ? { reverse_transfer: true } : {}),
            ...(form.refundApplicationFee ? { refund_application_fee: true } : {}),
            ...(form.reason ? { reason: form.reason } : {}),
          },
          { idempotencyKey: idempotencyKey ?? randomUUID(), ...as },
        ),
      { reverse_transfer: 'reverseTransfer', refund_application_fee: 'refundApplicationFee' },
    );
    await this.mirror.saveAnswer({ family: 'refund', accountId: charge.accountId, refund }, refund);
    // The PaymentIntent and its charge as Stripe holds them now (never a replay).
    const intent = await callStripe(() => this.stripe.paymentIntents.retrieve(id, {}, as));
    await this.mirror.saveAnswer(
      { family: 'payment_intent', accountId: charge.accountId, intent },
      intent,
    );
    const latest = idOf(intent.latest_charge);
    if (latest) {
      const object = await callStripe(() => this.stripe.charges.retrieve(latest, {}, as));
      await this.mirror.saveAnswer(
        { family: 'charge', accountId: charge.accountId, charge: object },
        object,
      );
    }
    return Object.assign(new Refund(), {
      ...refundValues(refund, charge.accountId, stripeTimeOf(refund)),
      paymentIntentId: idOf(refund.payment_intent),
    });
  }
}
