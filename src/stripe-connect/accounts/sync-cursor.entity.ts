import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * Where a backfill stands (`accounts:sync`): the last Stripe id fully written, so an interrupted run resumes
 * after it; cleared when a run completes. One row per backfill (`accounts`).
 */
@Entity({ name: 'stripe_sync_cursors' })
export class SyncCursor {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name: string;

  /** The last id of the last page fully written; null when no run is under way. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  cursor: string | null;

  /** Objects written by the run under way (or the last one). */
  @Column({ type: 'integer', default: 0 })
  synced: number;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
