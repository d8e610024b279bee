import { Injectable } from '@nestjs/common';

export interface PayoutNotice {
  eventId: string;
  payoutId: string;
  status: 'paid' | 'failed';
  amount: number;
  currency: string;
  failureCode: string | null;
}

/** What sellers are told about their payouts (in memory: a real app would store and send them). */
@Injectable()
export class PayoutNoticesService {
  private readonly byUser = new Map<string, PayoutNotice[]>();

  /** Records a notice once per Stripe event: listeners run at least once. */
  add(userId: string, notice: PayoutNotice): void {
    const notices = this.byUser.get(userId) ?? [];
    if (notices.some((n) => n.eventId === notice.eventId)) return;
    notices.push(notice);
    this.byUser.set(userId, notices);
  }

  of(userId: string): PayoutNotice[] {
    return this.byUser.get(userId) ?? [];
  }
}
