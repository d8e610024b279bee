import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Account } from '../accounts/account.entity.js';
import { StripeObjectColumns } from '../common/stripe-object.columns.js';

/**
 * One payment on behalf of a connected account: one row per PaymentIntent (`pi_…`). A destination charge lives
 * on the platform (`accountId` null) and names its `destinationAccountId`; a direct charge lives on the
 * connected account (`accountId`). Amounts are integer minor units of `currency`.
 */
@Entity({ name: 'stripe_charges' })
@Index('idx_stripe_charges_account_id', ['accountId'])
@Index('idx_stripe_charges_destination_account_id', ['destinationAccountId'])
@Index('idx_stripe_charges_latest_charge_id', ['latestChargeId'])
@Index('idx_stripe_charges_transfer_group', ['transferGroup'])
@Index('idx_stripe_charges_customer_id', ['customerId'])
export class Charge extends StripeObjectColumns {
  /** The connected account the PaymentIntent lives on (direct charges); null on the platform. */
  @Column({ name: 'account_id', type: 'varchar', length: 255, nullable: true })
  accountId: string | null;

  @ManyToOne(() => Account, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'account_id' })
  account: Relation<Account> | null;

  /** `transfer_data.destination` of a destination charge. */
  @Column({ name: 'destination_account_id', type: 'varchar', length: 255, nullable: true })
  destinationAccountId: string | null;

  @ManyToOne(() => Account, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'destination_account_id' })
  destinationAccount: Relation<Account> | null;

  /** The Stripe customer paying (on the platform or on the connected account). */
  @Column({ name: 'customer_id', type: 'varchar', length: 255, nullable: true })
  customerId: string | null;

  @Column({ type: 'integer' })
  amount: number;

  @Column({ type: 'varchar', length: 3 })
  currency: string;

  /** PaymentIntent status: `requires_payment_method` … `succeeded`, `canceled`. */
  @Column({ type: 'varchar', length: 32 })
  status: string;

  @Column({ name: 'capture_method', type: 'varchar', length: 16, default: 'automatic' })
  captureMethod: string;

  @Column({ name: 'amount_captured', type: 'integer', default: 0 })
  amountCaptured: number;

  @Column({ name: 'amount_refunded', type: 'integer', default: 0 })
  amountRefunded: number;

  @Column({ name: 'application_fee_amount', type: 'integer', nullable: true })
  applicationFeeAmount: number | null;

  @Column({ name: 'transfer_group', type: 'varchar', length: 255, nullable: true })
  transferGroup: string | null;

  @Column({ name: 'on_behalf_of', type: 'varchar', length: 255, nullable: true })
  onBehalfOf: string | null;

  /** The id of the latest Charge object (`ch_…`/`py_…`) of the PaymentIntent. */
  @Column({ name: 'latest_charge_id', type: 'varchar', length: 255, nullable: true })
  latestChargeId: string | null;

  /** True once a dispute was opened on the payment (`charge.dispute.*`, or the charge's `disputed`). */
  @Column({ type: 'boolean', default: false })
  disputed: boolean;

  /**
   * The Stripe time of the Charge object (`ch_…`) whose amounts the row holds (`amount_refunded`,
   * `amount_captured`, `disputed`): charge events carry their own time, apart from the PaymentIntent's.
   */
  @Column({ name: 'charge_at', type: 'timestamptz', nullable: true })
  chargeAt: Date | null;

  /** `last_payment_error` as Stripe gave it (code, decline code, message), or null. */
  @Column({ name: 'last_payment_error', type: 'jsonb', nullable: true })
  lastPaymentError: Record<string, unknown> | null;
}
