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

/** A representative, owner, director or executive of a company account (`person_…`). */
@Entity({ name: 'stripe_persons' })
@Index('idx_stripe_persons_account_id', ['accountId'])
export class Person extends StripeObjectColumns {
  @Column({ name: 'account_id', type: 'varchar', length: 255 })
  accountId: string;

  @ManyToOne(() => Account, (account) => account.persons, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id' })
  account: Relation<Account>;

  @Column({ name: 'first_name', type: 'varchar', length: 255, nullable: true })
  firstName: string | null;

  @Column({ name: 'last_name', type: 'varchar', length: 255, nullable: true })
  lastName: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  email: string | null;

  /** Stripe's `relationship` hash (representative, owner, director, executive, title, percent_ownership). */
  @Column({ type: 'jsonb', default: {} })
  relationship: Record<string, unknown>;

  @Column({ type: 'jsonb', default: {} })
  requirements: Record<string, unknown>;

  /** `verification.status`: `unverified`, `pending` or `verified`. */
  @Column({ name: 'verification_status', type: 'varchar', length: 32, nullable: true })
  verificationStatus: string | null;

  /** The tombstone: the Stripe time of `person.deleted`. Hidden from reads; only a newer state revives it. */
  @DeleteDateColumn({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt: Date | null;
}
