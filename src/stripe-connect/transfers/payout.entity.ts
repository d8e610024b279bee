import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Account } from '../accounts/account.entity.js';
import { StripeObjectColumns } from '../common/stripe-object.columns.js';

/** Money sent from a connected account's balance to its bank account or card (`po_…`). */
@Entity({ name: 'stripe_payouts' })
@Index('idx_stripe_payouts_account_id', ['accountId'])
@Index('idx_stripe_payouts_status', ['status'])
export class Payout extends StripeObjectColumns {
  /** The connected account paid out; null for a payout of the platform's own balance. */
  @Column({ name: 'account_id', type: 'varchar', length: 255, nullable: true })
  accountId: string | null;

  @ManyToOne(() => Account, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'account_id' })
  account: Relation<Account> | null;

  @Column({ type: 'integer' })
  amount: number;

  @Column({ type: 'varchar', length: 3 })
  currency: string;

  /** `pending`, `in_transit`, `paid`, `failed` or `canceled`. */
  @Column({ type: 'varchar', length: 16 })
  status: string;

  @Column({ name: 'failure_code', type: 'varchar', length: 64, nullable: true })
  failureCode: string | null;

  @Column({ name: 'failure_message', type: 'text', nullable: true })
  failureMessage: string | null;

  @Column({ name: 'arrival_date', type: 'timestamptz', nullable: true })
  arrivalDate: Date | null;

  /** The external account (`ba_…`/`card_…`) the money goes to. */
  @Column({ name: 'destination_id', type: 'varchar', length: 255, nullable: true })
  destinationId: string | null;

  /** `standard` or `instant`. */
  @Column({ type: 'varchar', length: 16, default: 'standard' })
  method: string;

  @Column({ type: 'boolean', default: false })
  automatic: boolean;
}
