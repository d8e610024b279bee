import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { StripeObjectColumns } from '../common/stripe-object.columns.js';
import { Transfer } from './transfer.entity.js';

/** A full or partial reversal (`trr_…`) of a transfer, in integer minor units. */
@Entity({ name: 'stripe_transfer_reversals' })
@Index('idx_stripe_transfer_reversals_transfer_id', ['transferId'])
export class TransferReversal extends StripeObjectColumns {
  @Column({ name: 'transfer_id', type: 'varchar', length: 255 })
  transferId: string;

  @ManyToOne(() => Transfer, (transfer) => transfer.reversals, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'transfer_id' })
  transfer: Relation<Transfer>;

  @Column({ type: 'integer' })
  amount: number;

  @Column({ type: 'varchar', length: 3 })
  currency: string;
}
