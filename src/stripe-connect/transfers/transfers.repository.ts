import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { pageOf, type Page, type PageRequest } from '../common/cursor-page.js';
import { Payout } from './payout.entity.js';
import { TransferReversal } from './transfer-reversal.entity.js';
import { Transfer } from './transfer.entity.js';

export interface TransferListFilter extends PageRequest {
  /** Transfers received by this connected account. */
  account?: string;
  transferGroup?: string;
  reversed?: boolean;
}

export interface PayoutListFilter extends PageRequest {
  account?: string;
  status?: string;
}

/** The queries of transfers, their reversals, and payouts. */
@Injectable()
export class TransfersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findTransfer(id: string): Promise<Transfer | null> {
    return this.dataSource.getRepository(Transfer).findOneBy({ id });
  }

  findReversal(id: string): Promise<TransferReversal | null> {
    return this.dataSource.getRepository(TransferReversal).findOneBy({ id });
  }

  findPayout(id: string): Promise<Payout | null> {
    return this.dataSource.getRepository(Payout).findOneBy({ id });
  }

  listTransfers(filter: TransferListFilter): Promise<Page<Transfer>> {
    const query = this.dataSource.getRepository(Transfer).createQueryBuilder('t');
    if (filter.account)
      query.andWhere('t.destination_account_id = :account', { account: filter.account });
    const scope = query.clone();
    if (filter.transferGroup)
      query.andWhere('t.transfer_group = :group', { group: filter.transferGroup });
    if (filter.reversed !== undefined)
      query.andWhere('t.reversed = :reversed', { reversed: filter.reversed });
    return pageOf(query, filter, { scope });
  }

  listPayouts(filter: PayoutListFilter): Promise<Page<Payout>> {
    const query = this.dataSource.getRepository(Payout).createQueryBuilder('p');
    if (filter.account) query.andWhere('p.account_id = :account', { account: filter.account });
    const scope = query.clone();
    if (filter.status) query.andWhere('p.status = :status', { status: filter.status });
    return pageOf(query, filter, { scope });
  }
}
