import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { pageOf, type Page, type PageRequest } from '../common/cursor-page.js';
import { EventProcessingError } from './event-processing-error.entity.js';
import type { StripeEventStatus } from './stripe-event.entity.js';
import { StripeEvent } from './stripe-event.entity.js';

export interface EventLogFilter extends PageRequest {
  status?: StripeEventStatus;
  type?: string;
  account?: string;
}

/** The back office's queries of the event store: pages of events, newest received first, with their errors. */
@Injectable()
export class EventLogRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(filter: EventLogFilter): Promise<Page<StripeEvent>> {
    const query = this.dataSource.getRepository(StripeEvent).createQueryBuilder('e');
    if (filter.status) query.andWhere('e.status = :status', { status: filter.status });
    if (filter.type) query.andWhere('e.type = :type', { type: filter.type });
    if (filter.account) query.andWhere('e.account_id = :account', { account: filter.account });
    const page = await pageOf(query, filter, { orderColumn: 'received_at' });
    await this.attachErrors(page.data);
    return page;
  }

  async find(id: string): Promise<StripeEvent | null> {
    const event = await this.dataSource.getRepository(StripeEvent).findOneBy({ id });
    if (event) await this.attachErrors([event]);
    return event;
  }

  /** Each event's failed attempts, oldest first. */
  private async attachErrors(events: StripeEvent[]): Promise<void> {
    if (!events.length) return;
    const errors = await this.dataSource.getRepository(EventProcessingError).find({
      where: { eventId: In(events.map((e) => e.id)) },
      order: { attempt: 'ASC', createdAt: 'ASC' },
    });
    for (const event of events) event.errors = errors.filter((e) => e.eventId === event.id);
  }
}
