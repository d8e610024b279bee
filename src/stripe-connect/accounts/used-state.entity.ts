import { CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** The nonce of a single-use `state` (OAuth) once used: a second use is refused. */
@Entity({ name: 'stripe_used_states' })
export class UsedState {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  nonce: string;

  @CreateDateColumn({ name: 'used_at', type: 'timestamptz' })
  usedAt: Date;
}
