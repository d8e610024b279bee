import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
  type Relation,
} from 'typeorm';
import { Account } from '../accounts/account.entity.js';
import { Customer } from './customer.entity.js';

/**
 * The link between a platform user and their customer on one connected account (pinax-stripe's
 * `UserAccount`). One per user and account; the customer must live on that same account, which the
 * database enforces with a foreign key on (customer, account).
 */
@Entity({ name: 'stripe_user_accounts' })
@Unique('uq_stripe_user_accounts_user_id_account_id', ['userId', 'accountId'])
@Unique('uq_stripe_user_accounts_customer_id', ['customerId'])
@Index('idx_stripe_user_accounts_account_id', ['accountId'])
export class UserAccount {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'varchar', length: 255 })
  userId: string;

  @Column({ name: 'account_id', type: 'varchar', length: 255 })
  accountId: string;

  @ManyToOne(() => Account, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'account_id' })
  account: Relation<Account>;

  @Column({ name: 'customer_id', type: 'varchar', length: 255 })
  customerId: string;

  @ManyToOne(() => Customer, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn([
    { name: 'customer_id', referencedColumnName: 'id' },
    { name: 'account_id', referencedColumnName: 'accountId' },
  ])
  customer: Relation<Customer>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
