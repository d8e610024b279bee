import { Column, Entity, Index, JoinColumn, ManyToOne, OneToMany, type Relation } from 'typeorm';
import { Account } from '../accounts/account.entity.js';
import { StripeObjectColumns } from '../common/stripe-object.columns.js';
import type { TransferReversal } from './transfer-reversal.entity.js';

/** Funds moved from the platform's balance to a connected account (`tr_…`), in integer minor units. */
@Entity({ name: 'stripe_transfers' })
@Index('idx_stripe_transfers_destination_account_id', ['destinationAccountId'])
@Index('idx_stripe_transfers_transfer_group', ['transferGroup'])
export class Transfer extends StripeObjectColumns {
  @Column({ name: 'destination_account_id', type: 'varchar', length: 255 })
  destinationAccountId: string;

  @ManyToOne(() => Account, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'destination_account_id' })
  destinationAccount: Relation<Account>;

  @Column({ type: 'integer' })
  amount: number;

  @Column({ name: 'amount_reversed', type: 'integer', default: 0 })
  amountReversed: number;

  @Column({ type: 'varchar', length: 3 })
  currency: string;

  @Column({ type: 'boolean', default: false })
  reversed: boolean;

  @Column({ name: 'transfer_group', type: 'varchar', length: 255, nullable: true })
  transferGroup: string | null;

  /** The charge the transfer draws on (`source_transaction`), if any. */
  @Column({ name: 'source_transaction', type: 'varchar', length: 255, nullable: true })
  sourceTransaction: string | null;

  /** The payment created on the destination account (`py_…`). */
  @Column({ name: 'destination_payment_id', type: 'varchar', length: 255, nullable: true })
  destinationPaymentId: string | null;

  @OneToMany('TransferReversal', (reversal: TransferReversal) => reversal.transfer)
  reversals: Relation<TransferReversal>[];
}
