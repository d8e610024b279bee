import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One caller's allowance on one rate-limited route (the throttler's key), shared by every instance on the
 * database: `hits` in the fixed window ending at `windowEndsAt`, and, once over the limit, blocked until
 * `blockedUntil`.
 */
@Entity({ name: 'stripe_rate_limits' })
export class RateLimit {
  @PrimaryColumn({ type: 'varchar', length: 255 })
  key: string;

  @Column({ type: 'integer' })
  hits: number;

  @Column({ name: 'window_ends_at', type: 'timestamptz' })
  windowEndsAt: Date;

  @Column({ name: 'blocked_until', type: 'timestamptz', nullable: true })
  blockedUntil: Date | null;
}
