import { Column, Entity, Index, OneToMany, type Relation } from 'typeorm';
import { StripeObjectColumns } from '../common/stripe-object.columns.js';
import type { ExternalAccount } from './external-account.entity.js';
import type { Person } from './person.entity.js';

export type AccountType = 'standard' | 'express' | 'custom' | 'none';

/** A connected account (`acct_…`), mirrored from Stripe. */
@Entity({ name: 'stripe_accounts' })
export class Account extends StripeObjectColumns {
  @Column({ type: 'varchar', length: 16 })
  type: AccountType;

  /** The platform user who owns the account; set when known, never cleared. */
  @Index('idx_stripe_accounts_user_id')
  @Column({ name: 'user_id', type: 'varchar', length: 255, nullable: true })
  userId: string | null;

  @Column({ type: 'varchar', length: 2, nullable: true })
  country: string | null;

  @Column({ name: 'default_currency', type: 'varchar', length: 3, nullable: true })
  defaultCurrency: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  email: string | null;

  @Column({ name: 'business_type', type: 'varchar', length: 32, nullable: true })
  businessType: string | null;

  @Column({ name: 'business_profile', type: 'jsonb', default: {} })
  businessProfile: Record<string, unknown>;

  @Column({ name: 'charges_enabled', type: 'boolean', default: false })
  chargesEnabled: boolean;

  @Column({ name: 'payouts_enabled', type: 'boolean', default: false })
  payoutsEnabled: boolean;

  @Column({ name: 'details_submitted', type: 'boolean', default: false })
  detailsSubmitted: boolean;

  /** Stripe's `requirements` hash as last seen. */
  @Column({ type: 'jsonb', default: {} })
  requirements: Record<string, unknown>;

  @Column({ name: 'future_requirements', type: 'jsonb', default: {} })
  futureRequirements: Record<string, unknown>;

  /** `requirements.current_deadline`: when the fields currently due must be supplied. */
  @Index('idx_stripe_accounts_verification_due_by')
  @Column({ name: 'verification_due_by', type: 'timestamptz', nullable: true })
  verificationDueBy: Date | null;

  /** `requirements.currently_due` and `past_due`, merged without duplicates. */
  @Column({ name: 'verification_fields_needed', type: 'jsonb', default: [] })
  verificationFieldsNeeded: string[];

  @Column({ name: 'disabled_reason', type: 'varchar', length: 64, nullable: true })
  disabledReason: string | null;

  /** Capability name → status (`active`, `inactive`, `pending`). */
  @Column({ type: 'jsonb', default: {} })
  capabilities: Record<string, string>;

  /**
   * Capability name → the Stripe time (ISO) of a `capability.updated` newer than the account snapshot: a
   * capability carries its own time, so an older account snapshot or capability event never replaces it.
   */
  @Column({ name: 'capabilities_at', type: 'jsonb', default: {} })
  capabilitiesAt: Record<string, string>;

  @Column({ name: 'tos_acceptance', type: 'jsonb', default: {} })
  tosAcceptance: Record<string, unknown>;

  @Column({ type: 'jsonb', default: {} })
  metadata: Record<string, string>;

  /** False once the platform's access was revoked (`account.application.deauthorized`); the row is kept. */
  @Column({ type: 'boolean', default: true })
  authorized: boolean;

  /** The Stripe time of the authorization state held (`account.application.authorized | deauthorized`). */
  @Column({ name: 'authorized_at', type: 'timestamptz', nullable: true })
  authorizedAt: Date | null;

  /** Set when Stripe reports the account deleted; the row and its money history are kept. */
  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt: Date | null;

  @OneToMany('ExternalAccount', (externalAccount: ExternalAccount) => externalAccount.account)
  externalAccounts: Relation<ExternalAccount>[];

  @OneToMany('Person', (person: Person) => person.account)
  persons: Relation<Person>[];
}
