import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { StripeEvent } from './stripe-event.entity.js';

/** One failed attempt at processing a Stripe event: its message and stack. */
@Entity({ name: 'stripe_event_processing_errors' })
@Index('idx_stripe_event_processing_errors_event_id', ['eventId'])
export class EventProcessingError {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'event_id', type: 'varchar', length: 255 })
  eventId: string;

  @ManyToOne(() => StripeEvent, (event) => event.errors, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id' })
  event: Relation<StripeEvent>;

  /** The attempt number that failed (1 for the first). */
  @Column({ type: 'integer' })
  attempt: number;

  @Column({ type: 'text' })
  message: string;

  @Column({ type: 'text', nullable: true })
  stack: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
