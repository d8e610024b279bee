import { Column, Entity, Index, JoinColumn, ManyToOne, Unique, type Relation } from 'typeorm';
import { Account } from '../accounts/account.entity.js';
import { StripeObjectColumns } from '../common/stripe-object.columns.js';

/** What the mirror keeps of a saved card. */
export interface SavedCard {
  id: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
}

/**
 * A Stripe customer (`cus_…`). A platform customer (`accountId` null) carries its user id, one per user. A
 * connected customer lives on a connected account and is tied to its user through `UserAccount`.
 */
@Entity({ name: 'stripe_customers' })
@Unique('uq_stripe_customers_id_account_id', ['id', 'accountId'])
@Index('uq_stripe_customers_platform_user_id', ['userId'], {
  unique: true,
  where: '"account_id" IS NULL AND "user_id" IS NOT NULL',
})
@Index('idx_stripe_customers_account_id', ['accountId'])
export class Customer extends StripeObjectColumns {
  /** The connected account the customer lives on; null for a platform customer. */
  @Column({ name: 'account_id', type: 'varchar', length: 255, nullable: true })
  accountId: string | null;

  @ManyToOne(() => Account, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'account_id' })
  account: Relation<Account> | null;

  /** The platform user of a platform customer (connected customers link users through UserAccount). */
  @Column({ name: 'user_id', type: 'varchar', length: 255, nullable: true })
  userId: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  email: string | null;

  @Column({ type: 'varchar', length: 3, nullable: true })
  currency: string | null;

  /** `invoice_settings.default_payment_method`: the saved card charged when none is given. */
  @Column({ name: 'default_payment_method_id', type: 'varchar', length: 255, nullable: true })
  defaultPaymentMethodId: string | null;

  /**
   * The saved card as last seen with its payment method (`id` names it: it describes the default only while
   * the two ids agree). Never a card number: brand, last 4 digits and expiry.
   */
  @Column({ name: 'default_card', type: 'jsonb', nullable: true })
  defaultCard: SavedCard | null;

  /** Set when Stripe reports the customer deleted. */
  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt: Date | null;
}
