import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  OneToMany,
  PrimaryColumn,
  UpdateDateColumn,
  type Relation,
} from 'typeorm';
import type { EventProcessingError } from './event-processing-error.entity.js';

export type StripeEventStatus = 'pending' | 'processed' | 'failed';

/** Every verified webhook delivery, stored once per Stripe event id (`evt_…`). */
@Entity({ name: 'stripe_events' })
@Check('chk_stripe_events_status', `"status" IN ('pending', 'processed', 'failed')`)
@Index('idx_stripe_events_type', ['type'])
@Index('idx_stripe_events_account_id', ['accountId'])
@Index('idx_stripe_events_status', ['status'])
@Index('idx_stripe_events_received_at', ['receivedAt'])
// Queued mode's work list: the events still to sync, oldest first.
@Index('idx_stripe_events_to_sync', ['receivedAt', 'id'], {
  where: `"status" = 'pending' AND "synced_at" IS NULL`,
})
export class StripeEvent {
  @PrimaryColumn({ type: 'varchar', length: 255 })
  id: string;

  @Column({ type: 'varchar', length: 128 })
  type: string;

  /** The connected account the event is about (`event.account`); null for platform events. */
  @Column({ name: 'account_id', type: 'varchar', length: 255, nullable: true })
  accountId: string | null;

  @Column({ type: 'boolean', default: false })
  livemode: boolean;

  @Column({ name: 'api_version', type: 'varchar', length: 64, nullable: true })
  apiVersion: string | null;

  /** Stripe's `created` (one-second resolution). */
  @Column({ name: 'stripe_created_at', type: 'timestamptz' })
  stripeCreatedAt: Date;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: StripeEventStatus;

  /** Processing attempts so far. */
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @CreateDateColumn({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;

  @Column({ name: 'processed_at', type: 'timestamptz', nullable: true })
  processedAt: Date | null;

  /** When the built-in sync last committed for this event (in the sync's own transaction). */
  @Column({ name: 'synced_at', type: 'timestamptz', nullable: true })
  syncedAt: Date | null;

  /** Set while one delivery processes the event (a lease); concurrent deliveries wait for it to clear. */
  @Column({ name: 'processing_started_at', type: 'timestamptz', nullable: true })
  processingStartedAt: Date | null;

  /** The claim's owner token (one per delivery): only it may renew, complete or fail the claim. */
  @Column({ name: 'processing_owner', type: 'varchar', length: 64, nullable: true })
  processingOwner: string | null;

  /**
   * Queued mode: the listeners (`Class.method`) still to run for this event after its sync committed, each
   * as its own job; the event is `processed` when none is left. Null in inline mode.
   */
  @Column({ name: 'pending_listeners', type: 'text', array: true, nullable: true })
  pendingListeners: string[] | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @OneToMany('EventProcessingError', (error: EventProcessingError) => error.event)
  errors: Relation<EventProcessingError>[];
}
