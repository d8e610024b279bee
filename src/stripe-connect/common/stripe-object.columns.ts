import { Column, CreateDateColumn, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * The columns every row that mirrors a Stripe object shares: the Stripe id as primary key (so every write is
 * an upsert keyed by it), `livemode`, the raw object as Stripe last sent it, and the Stripe time of that
 * snapshot, which the webhook path compares so that an older snapshot never overwrites a newer one.
 */
export abstract class StripeObjectColumns<TRaw = Record<string, unknown>> {
  /** The Stripe id (`acct_…`, `cus_…`, `pi_…`, …). */
  @PrimaryColumn({ type: 'varchar', length: 255 })
  id: string;

  @Column({ type: 'boolean', default: false })
  livemode: boolean;

  /** The Stripe object as last stored. Never holds full bank or ID numbers: Stripe does not return them. */
  @Column({ type: 'jsonb', default: {} })
  raw: TRaw;

  /** Stripe time of the snapshot held (event `created`, or fetch time for a retrieved object). */
  @Column({ name: 'snapshot_at', type: 'timestamptz', nullable: true })
  snapshotAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
