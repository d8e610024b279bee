import { Injectable, Logger } from '@nestjs/common';
import { OnStripeEvent, type StripeConnectEvent } from 'nest-stripe-connect';
import { PayoutNoticesService } from './payout-notices.service.js';

/** Tells a seller when a payout to their bank is paid or failed. */
@Injectable()
export class PayoutNotifier {
  private readonly logger = new Logger(PayoutNotifier.name);

  constructor(private readonly notices: PayoutNoticesService) {}

  @OnStripeEvent('payout.paid', 'payout.failed')
  onPayout({ event, account }: StripeConnectEvent<'payout.paid' | 'payout.failed'>): void {
    const payout = event.data.object;
    if (!account?.userId) return;
    this.notices.add(account.userId, {
      eventId: event.id,
      payoutId: payout.id,
      status: event.type === 'payout.paid' ? 'paid' : 'failed',
      amount: payout.amount,
      currency: payout.currency,
      failureCode: payout.failure_code,
    });
    this.logger.log(`${event.type} ${payout.id} for ${account.id}`);
  }
}
