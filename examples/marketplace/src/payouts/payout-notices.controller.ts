import { Controller, Get, Req } from '@nestjs/common';
import type { AuthenticatedRequest } from '../auth/session.guard.js';
import { PayoutNoticesService, type PayoutNotice } from './payout-notices.service.js';

@Controller('me')
export class PayoutNoticesController {
  constructor(private readonly notices: PayoutNoticesService) {}

  @Get('payout-notices')
  list(@Req() request: AuthenticatedRequest): PayoutNotice[] {
    return this.notices.of(request.user!.id);
  }
}
