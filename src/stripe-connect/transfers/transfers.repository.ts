import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { pageOf, type Page, type PageRequest } from '../common/cursor-page.js';
import {
  lockStripeObject,
  saveUnlessNewer,
  snapshotOf,
  upsertSnapshot,
} from '../common/mirror-writer.js';
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

  /**
   * A transfer and its reversals in one transaction, serialized with the webhook path's writes of it, unless
   * the row holds a newer snapshot.
   */
  async saveTransfer(
    values: Partial<Transfer> & { id: string },
    reversals: (Partial<TransferReversal> & { id: string })[],
    snapshotAt: Date,
  ): Promise<Transfer> {
    await this.dataSource.transaction(async (manager) => {
      await lockStripeObject(manager, values.id);
      const current = await snapshotOf(manager, Transfer, values.id);
      if (current && current.getTime() > snapshotAt.getTime()) return;
      await upsertSnapshot(manager, Transfer, { ...values, snapshotAt });
      for (const reversal of reversals)
        await upsertSnapshot(manager, TransferReversal, { ...reversal, snapshotAt });
    });
    return this.dataSource.getRepository(Transfer).findOneByOrFail({ id: values.id });
  }

  async savePayout(values: Partial<Payout> & { id: string }, snapshotAt: Date): Promise<Payout> {
    await saveUnlessNewer(this.dataSource, Payout, values, snapshotAt);
    return this.dataSource.getRepository(Payout).findOneByOrFail({ id: values.id });
  }

  listTransfers(filter: TransferListFilter): Promise<Page<Transfer>> {
    const query = this.dataSource.getRepository(Transfer).createQueryBuilder('t');
    if (filter.account)
      query.andWhere('t.destination_account_id = :account', { account: filter.account });
    if (filter.transferGroup)
      query.andWhere('t.transfer_group = :group', { group: filter.transferGroup });
    if (filter.reversed !== undefined)
      query.andWhere('t.reversed = :reversed', { reversed: filter.reversed });
    return pageOf(query, filter);
  }

  listPayouts(filter: PayoutListFilter): Promise<Page<Payout>> {
    const query = this.dataSource.getRepository(Payout).createQueryBuilder('p');
    if (filter.account) query.andWhere('p.account_id = :account', { account: filter.account });
    if (filter.status) query.andWhere('p.status = :status', { status: filter.status });
    return pageOf(query, filter);
  }
}
