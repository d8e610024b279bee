import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { StripeObjectColumns } from '../common/stripe-object.columns.js';
import { Charge } from './charge.entity.js';

/** A refund (`re_…`) of a charge, in integer minor units. */
@Entity({ name: 'stripe_refunds' })
@Index('idx_stripe_refunds_payment_intent_id', ['paymentIntentId'])
@Index('idx_stripe_refunds_account_id', ['accountId'])
export class Refund extends StripeObjectColumns {
  /** The connected account the refund lives on (direct charges); null on the platform. */
  @Column({ name: 'account_id', type: 'varchar', length: 255, nullable: true })
  accountId: string | null;

  @Column({ name: 'payment_intent_id', type: 'varchar', length: 255, nullable: true })
  paymentIntentId: string | null;

  @ManyToOne(() => Charge, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'payment_intent_id' })
  charge: Relation<Charge> | null;

  /** The Charge object refunded (`ch_…`). */
  @Column({ name: 'charge_object_id', type: 'varchar', length: 255, nullable: true })
  chargeObjectId: string | null;

  @Column({ type: 'integer' })
  amount: number;

  @Column({ type: 'varchar', length: 3 })
  currency: string;

  /** `pending`, `requires_action`, `succeeded`, `failed` or `canceled`. */
  @Column({ type: 'varchar', length: 32 })
  status: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  reason: string | null;

  @Column({ name: 'failure_reason', type: 'varchar', length: 64, nullable: true })
  failureReason: string | null;
}
