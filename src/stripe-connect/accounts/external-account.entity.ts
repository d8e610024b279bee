import {
  Column,
  DeleteDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  type Relation,
} from 'typeorm';
import { StripeObjectColumns } from '../common/stripe-object.columns.js';
import { Account } from './account.entity.js';

/** A bank account (`ba_…`) or debit card (`card_…`) a connected account is paid out to. */
@Entity({ name: 'stripe_external_accounts' })
@Index('idx_stripe_external_accounts_account_id', ['accountId'])
export class ExternalAccount extends StripeObjectColumns {
  @Column({ name: 'account_id', type: 'varchar', length: 255 })
  accountId: string;

  @ManyToOne(() => Account, (account) => account.externalAccounts, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id' })
  account: Relation<Account>;

  /** `bank_account` or `card`. */
  @Column({ type: 'varchar', length: 16 })
  object: 'bank_account' | 'card';

  @Column({ name: 'bank_name', type: 'varchar', length: 255, nullable: true })
  bankName: string | null;

  @Column({ type: 'varchar', length: 4, nullable: true })
  last4: string | null;

  @Column({ type: 'varchar', length: 2, nullable: true })
  country: string | null;

  @Column({ type: 'varchar', length: 3, nullable: true })
  currency: string | null;

  @Column({ name: 'default_for_currency', type: 'boolean', default: false })
  defaultForCurrency: boolean;

  /** Bank account status (`new`, `validated`, `verified`, `verification_failed`, `errored`). */
  @Column({ type: 'varchar', length: 32, nullable: true })
  status: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  fingerprint: string | null;

  /**
   * The tombstone: the Stripe time of the delete (`account.external_account.deleted`, or an account snapshot
   * that no longer lists it). Deleted rows are hidden from reads; an older update cannot revive them, a newer
   * re-creation does.
   */
  @DeleteDateColumn({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt: Date | null;
}
