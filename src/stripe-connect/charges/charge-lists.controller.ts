import { Controller, Get, Query, UseFilters, UseGuards, UsePipes } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ConnectUser } from '../common/connect-user.decorator.js';
import { platformOnly } from '../common/platform-only.js';
import { StripeConnectAuthGuard } from '../common/stripe-connect-auth.guard.js';
import { StripeConnectValidationPipe } from '../common/validation.js';
import { PlatformOnly } from '../common/route-access.decorator.js';
import { StripeConnectExceptionFilter } from '../common/stripe-connect-exception.filter.js';
import type { StripeConnectUser } from '../stripe-connect.options.js';
import { ChargesService } from './charges.service.js';
import {
  ApplicationFeeListQueryDto,
  ApplicationFeeListResponse,
  RefundListQueryDto,
  RefundListResponse,
  toApplicationFeeResponse,
} from './dto/charge-list.dto.js';
import { toRefundResponse } from './dto/charge.dto.js';

const BACK_OFFICE = 'Only the platform’s back office may list these';

/** Refunds and application fees, for the platform's back office: newest first, cursor-paginated. */
@ApiTags('charges')
@ApiBearerAuth()
@Controller('connect')
@PlatformOnly()
@UseGuards(StripeConnectAuthGuard)
@UsePipes(StripeConnectValidationPipe)
@UseFilters(StripeConnectExceptionFilter)
export class ChargeListsController {
  constructor(private readonly charges: ChargesService) {}

  @Get('refunds')
  @ApiOkResponse({ type: RefundListResponse })
  async refunds(
    @ConnectUser() user: StripeConnectUser,
    @Query() query: RefundListQueryDto,
  ): Promise<RefundListResponse> {
    platformOnly(user, BACK_OFFICE);
    const page = await this.charges.listRefunds(query);
    return { object: 'list', data: page.data.map(toRefundResponse), hasMore: page.hasMore };
  }

  @Get('application-fees')
  @ApiOkResponse({ type: ApplicationFeeListResponse })
  async applicationFees(
    @ConnectUser() user: StripeConnectUser,
    @Query() query: ApplicationFeeListQueryDto,
  ): Promise<ApplicationFeeListResponse> {
    platformOnly(user, BACK_OFFICE);
    const page = await this.charges.listApplicationFees(query);
    return {
      object: 'list',
      data: page.data.map(toApplicationFeeResponse),
      hasMore: page.hasMore,
    };
  }
}
