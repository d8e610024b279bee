import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource } from 'typeorm';
import { pageOf, type Page, type PageRequest } from '../common/cursor-page.js';
import { ApplicationFee } from './application-fee.entity.js';
import { Charge } from './charge.entity.js';
import { Refund } from './refund.entity.js';

export interface ChargeListFilter extends PageRequest {
  /** Charges of this connected account: direct ones on it, destination ones to it, or on its behalf. */
  account?: string;
  status?: string;
  customer?: string;
}

export interface RefundListFilter extends PageRequest {
  /** Refunds of this account's charges (direct ones, or destination ones to it). */
  account?: string;
  status?: string;
  charge?: string;
}

export interface ApplicationFeeListFilter extends PageRequest {
  account?: string;
  refunded?: boolean;
}

/** The queries of charges (one row per PaymentIntent), refunds and application fees. */
@Injectable()
export class ChargesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findCharge(id: string): Promise<Charge | null> {
    return this.dataSource.getRepository(Charge).findOneBy({ id });
  }

  findRefund(id: string): Promise<Refund | null> {
    return this.dataSource.getRepository(Refund).findOneBy({ id });
  }

  listCharges(filter: ChargeListFilter): Promise<Page<Charge>> {
    const query = this.dataSource.getRepository(Charge).createQueryBuilder('c');
    if (filter.account) {
      query.andWhere(
        new Brackets((q) =>
          q
            .where('c.account_id = :account')
            .orWhere('c.destination_account_id = :account')
            .orWhere('c.on_behalf_of = :account'),
        ),
        { account: filter.account },
      );
    }
    const scope = query.clone();
    if (filter.status) query.andWhere('c.status = :status', { status: filter.status });
    if (filter.customer) query.andWhere('c.customer_id = :customer', { customer: filter.customer });
    return pageOf(query, filter, { scope });
  }

  listRefunds(filter: RefundListFilter): Promise<Page<Refund>> {
    const query = this.dataSource.getRepository(Refund).createQueryBuilder('r');
    if (filter.account) {
      query.andWhere(
        new Brackets((q) =>
          q
            .where('r.account_id = :account')
            .orWhere(
              'r.payment_intent_id IN (SELECT c.id FROM stripe_charges c WHERE c.destination_account_id = :account)',
            ),
        ),
        { account: filter.account },
      );
    }
    const scope = query.clone();
    if (filter.status) query.andWhere('r.status = :status', { status: filter.status });
    if (filter.charge) query.andWhere('r.payment_intent_id = :charge', { charge: filter.charge });
    return pageOf(query, filter, { scope });
  }

  listApplicationFees(filter: ApplicationFeeListFilter): Promise<Page<ApplicationFee>> {
    const query = this.dataSource.getRepository(ApplicationFee).createQueryBuilder('f');
    if (filter.account) query.andWhere('f.account_id = :account', { account: filter.account });
    const scope = query.clone();
    if (filter.refunded !== undefined)
      query.andWhere('f.refunded = :refunded', { refunded: filter.refunded });
    return pageOf(query, filter, { scope });
  }
}
