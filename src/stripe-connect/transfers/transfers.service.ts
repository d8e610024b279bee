/**
 * Transfers to connected accounts and their reversals (the platform), and payouts of a connected account to
 * its bank (its owner), with today's APIs. Exactly-once through idempotency keys, as charges.
 */
import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { MirrorService } from '../webhooks/mirror.service.js';
import type Stripe from 'stripe';
import { AccountsService } from '../accounts/accounts.service.js';
import { pageRequestOf, type Page } from '../common/cursor-page.js';
import { FormValidationError, StripeConnectError } from '../common/stripe-connect.errors.js';
import { chargeAmountProblem, payoutAmountProblem } from '../stripe/currency.js';
import { InjectStripeClient } from '../stripe/inject-stripe-client.decorator.js';
import { callStripe } from '../stripe/stripe-errors.js';
import { stripeTimeOf } from '../stripe/stripe-time.js';
import type { StripeConnectUser } from '../stripe-connect.options.js';
import type { CreatePayoutDto, CreateTransferDto } from './dto/transfer.dto.js';
import type { PayoutListQueryDto, TransferListQueryDto } from './dto/transfer-list.dto.js';
import { Payout } from './payout.entity.js';
import { payoutValues, reversalValues, transferValues } from './transfer-mirror.js';
import { TransferReversal } from './transfer-reversal.entity.js';
import { Transfer } from './transfer.entity.js';
import { TransfersRepository } from './transfers.repository.js';

export class TransferNotFoundError extends StripeConnectError {
  readonly status = 404;
  readonly code = 'transfer_not_found';
  constructor(id: string) {
    super(`No such transfer: ${id}`);
  }
}

export interface BalanceAmounts {
  available: { amount: number; currency: string }[];
  pending: { amount: number; currency: string }[];
}

function amountsOf(balance: Stripe.Balance): BalanceAmounts {
  const rows = (list: Stripe.Balance.Available[] | Stripe.Balance.Pending[]) =>
    list.map((b) => ({ amount: b.amount, currency: b.currency }));
  return { available: rows(balance.available), pending: rows(balance.pending) };
}

const FIELDS = {
  transfer_group: 'transferGroup',
  source_transaction: 'sourceTransaction',
  statement_descriptor: 'statementDescriptor',
};

@Injectable()
export class TransfersService {
  private readonly logger = new Logger(TransfersService.name);

  constructor(
    @InjectStripeClient() private readonly stripe: Stripe,
    private readonly transfers: TransfersRepository,
    private readonly accounts: AccountsService,
    private readonly mirror: MirrorService,
  ) {}

  /**
   * Writes the answer's transfer (and its reversals) to the mirror (re-fetched when Stripe replayed the
   * answer), and answers with what Stripe answered.
   */
  private async saveTransfer(transfer: Stripe.Transfer): Promise<Transfer> {
    await this.mirror.saveAnswer({ family: 'transfer', transfer }, transfer);
    return Object.assign(new Transfer(), transferValues(transfer, stripeTimeOf(transfer)));
  }

  async create(form: CreateTransferDto, idempotencyKey: string = randomUUID()): Promise<Transfer> {
    const problem = chargeAmountProblem(form.amount, form.currency);
    if (problem && !problem.startsWith('must be at least'))
      throw new FormValidationError({ amount: [`amount ${problem}`] });
    await this.accounts.ensureMirrored(form.destination, 'destination');
    const transfer = await callStripe(
      () =>
        this.stripe.transfers.create(
          {
            amount: form.amount,
            currency: form.currency,
            destination: form.destination,
            ...(form.transferGroup ? { transfer_group: form.transferGroup } : {}),
            ...(form.sourceTransaction ? { source_transaction: form.sourceTransaction } : {}),
            ...(form.description ? { description: form.description } : {}),
            ...(form.metadata ? { metadata: form.metadata } : {}),
          },
          { idempotencyKey },
        ),
      FIELDS,
    );
    this.logger.log(
      `transfer ${transfer.id} of ${form.amount} ${form.currency} to ${form.destination}`,
    );
    return this.saveTransfer(transfer);
  }

  /**
   * Reverses all or part of a transfer. With an idempotency key, Stripe decides (a retry answers as the first
   * request did); without one, what remains is checked here first.
   */
  async reverse(
    id: string,
    amount: number | undefined,
    idempotencyKey?: string,
  ): Promise<TransferReversal> {
    const local = await this.transfers.findTransfer(id);
    if (!local) throw new TransferNotFoundError(id);
    if (!idempotencyKey && amount !== undefined && amount > local.amount - local.amountReversed) {
      throw new FormValidationError({
        amount: [
          `amount cannot exceed what remains of the transfer (${local.amount - local.amountReversed})`,
        ],
      });
    }
    const reversal = await callStripe(() =>
      this.stripe.transfers.createReversal(id, amount !== undefined ? { amount } : {}, {
        idempotencyKey: idempotencyKey ?? randomUUID(),
      }),
    );
    // The transfer as Stripe holds it now (with its reversals), never a replay.
    const transfer = await callStripe(() => this.stripe.transfers.retrieve(id));
    await this.mirror.saveAnswer({ family: 'transfer', transfer }, transfer);
    return Object.assign(
      new TransferReversal(),
      reversalValues(reversal, stripeTimeOf(reversal), transfer.livemode),
    );
  }

  /** A payout of the account's available balance to its bank (the documentation's "Manually paying out a Custom account"). */
  async payout(
    user: StripeConnectUser,
    accountId: string,
    form: CreatePayoutDto,
    idempotencyKey: string = randomUUID(),
  ): Promise<Payout> {
    await this.accounts.get(user, accountId); // 404 unless the caller's (or the platform's)
    const problem = payoutAmountProblem(form.amount, form.currency);
    if (problem) throw new FormValidationError({ amount: [`amount ${problem}`] });
    const payout = await callStripe(
      () =>
        this.stripe.payouts.create(
          {
            amount: form.amount,
            currency: form.currency,
            method: form.method ?? 'standard',
            ...(form.destination ? { destination: form.destination } : {}),
            ...(form.statementDescriptor ? { statement_descriptor: form.statementDescriptor } : {}),
          },
          { idempotencyKey, stripeAccount: accountId },
        ),
      FIELDS,
    );
    this.logger.log(
      `payout ${payout.id} of ${form.amount} ${form.currency} from ${accountId}: ${payout.status}`,
    );
    await this.mirror.saveAnswer({ family: 'payout', accountId, payout }, payout);
    return Object.assign(new Payout(), payoutValues(payout, accountId, stripeTimeOf(payout)));
  }

  /** The account's latest 100 payouts. */
  async payouts(user: StripeConnectUser, accountId: string): Promise<Payout[]> {
    await this.accounts.get(user, accountId);
    return (await this.transfers.listPayouts({ account: accountId, limit: 100 })).data;
  }

  /** A page of transfers: the platform's, or those an owner's account received. */
  async listTransfers(
    user: StripeConnectUser,
    query: TransferListQueryDto,
  ): Promise<Page<Transfer>> {
    await this.accounts.checkListScope(user, query.account);
    return this.transfers.listTransfers({
      ...pageRequestOf(query),
      account: query.account,
      transferGroup: query.transferGroup,
      reversed: query.reversed,
    });
  }

  /** A page of payouts: every account's for the platform, or an owner's account's. */
  async listPayouts(user: StripeConnectUser, query: PayoutListQueryDto): Promise<Page<Payout>> {
    await this.accounts.checkListScope(user, query.account);
    return this.transfers.listPayouts({
      ...pageRequestOf(query),
      account: query.account,
      status: query.status,
    });
  }

  /** The platform's own balance. */
  async platformBalance(): Promise<BalanceAmounts> {
    return amountsOf(await callStripe(() => this.stripe.balance.retrieve()));
  }

  async balance(user: StripeConnectUser, accountId: string): Promise<BalanceAmounts> {
    await this.accounts.get(user, accountId);
    return amountsOf(
      await callStripe(() => this.stripe.balance.retrieve({}, { stripeAccount: accountId })),
    );
  }
}
