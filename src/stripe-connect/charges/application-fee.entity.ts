import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Account } from '../accounts/account.entity.js';
import { StripeObjectColumns } from '../common/stripe-object.columns.js';
import { Charge } from './charge.entity.js';

/** The platform's fee (`fee_…`) collected from a connected account's charge, in integer minor units. */
@Entity({ name: 'stripe_application_fees' })
@Index('idx_stripe_application_fees_account_id', ['accountId'])
@Index('idx_stripe_application_fees_payment_intent_id', ['paymentIntentId'])
export class ApplicationFee extends StripeObjectColumns {
  /** The connected account the fee was taken from. */
  @Column({ name: 'account_id', type: 'varchar', length: 255, nullable: true })
  accountId: string | null;

  @ManyToOne(() => Account, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'account_id' })
  account: Relation<Account> | null;

  /** The PaymentIntent the fee came from, when it is mirrored. */
  @Column({ name: 'payment_intent_id', type: 'varchar', length: 255, nullable: true })
  paymentIntentId: string | null;

  @ManyToOne(() => Charge, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'payment_intent_id' })
  charge: Relation<Charge> | null;

  /** The Charge object the fee was taken on (`ch_…`/`py_…`). */
  @Column({ name: 'charge_object_id', type: 'varchar', length: 255, nullable: true })
  chargeObjectId: string | null;

  @Column({ type: 'integer' })
  amount: number;

  @Column({ name: 'amount_refunded', type: 'integer', default: 0 })
  amountRefunded: number;

  @Column({ type: 'varchar', length: 3 })
  currency: string;

  @Column({ type: 'boolean', default: false })
  refunded: boolean;
}
