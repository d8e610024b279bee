import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Query,
  UseFilters,
  UseGuards,
  UsePipes,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ConnectUser } from '../common/connect-user.decorator.js';
import { StripeConnectAuthGuard } from '../common/stripe-connect-auth.guard.js';
import { StripeConnectExceptionFilter } from '../common/stripe-connect-exception.filter.js';
import { idempotencyKeyOf, platformOnly } from '../common/platform-only.js';
import { PlatformOnly } from '../common/route-access.decorator.js';
import { StripeConnectValidationPipe } from '../common/validation.js';
import type { StripeConnectUser } from '../stripe-connect.options.js';
import { ChargesService } from './charges.service.js';
import { ChargeListQueryDto, ChargeListResponse } from './dto/charge-list.dto.js';
import {
  CaptureChargeDto,
  ChargeResponse,
  CreateChargeDto,
  CreateRefundDto,
  RefundResponse,
  toChargeResponse,
  toRefundResponse,
} from './dto/charge.dto.js';

const KEY_HEADER = {
  name: 'Idempotency-Key',
  required: false,
  description: 'A retried request moves no money twice and answers as the first did',
};

/** Charges on behalf of connected accounts: the platform only (the list: an owner too, for one account). */
@ApiTags('charges')
@ApiBearerAuth()
@Controller('connect/charges')
@UseGuards(StripeConnectAuthGuard)
@UsePipes(StripeConnectValidationPipe)
@UseFilters(StripeConnectExceptionFilter)
export class ChargesController {
  constructor(private readonly charges: ChargesService) {}

  @PlatformOnly()
  @Post()
  @ApiHeader(KEY_HEADER)
  @ApiCreatedResponse({ type: ChargeResponse })
  @ApiResponse({ status: 402, description: 'Declined: `code` and `declineCode` say why' })
  async create(
    @ConnectUser() user: StripeConnectUser,
    @Body() form: CreateChargeDto,
    @Headers('idempotency-key') key?: string,
  ): Promise<ChargeResponse> {
    platformOnly(user);
    return toChargeResponse(await this.charges.create(form, idempotencyKeyOf(key)));
  }

  /** The platform's charges, or (an owner) one of their account's; newest first, cursor-paginated. */
  @Get()
  @ApiOkResponse({ type: ChargeListResponse })
  async list(
    @ConnectUser() user: StripeConnectUser,
    @Query() query: ChargeListQueryDto,
  ): Promise<ChargeListResponse> {
    const page = await this.charges.list(user, query);
    return { object: 'list', data: page.data.map(toChargeResponse), hasMore: page.hasMore };
  }

  @PlatformOnly()
  @Get(':id')
  @ApiOkResponse({ type: ChargeResponse })
  async get(
    @ConnectUser() user: StripeConnectUser,
    @Param('id') id: string,
  ): Promise<ChargeResponse> {
    platformOnly(user);
    return toChargeResponse(await this.charges.get(id));
  }

  @PlatformOnly()
  @Post(':id/capture')
  @HttpCode(200)
  @ApiHeader(KEY_HEADER)
  @ApiOkResponse({ type: ChargeResponse })
  async capture(
    @ConnectUser() user: StripeConnectUser,
    @Param('id') id: string,
    @Body() body: CaptureChargeDto,
    @Headers('idempotency-key') key?: string,
  ): Promise<ChargeResponse> {
    platformOnly(user);
    return toChargeResponse(await this.charges.capture(id, body.amount, idempotencyKeyOf(key)));
  }

  @PlatformOnly()
  @Post(':id/cancel')
  @HttpCode(200)
  @ApiHeader(KEY_HEADER)
  @ApiOkResponse({ type: ChargeResponse })
  async cancel(
    @ConnectUser() user: StripeConnectUser,
    @Param('id') id: string,
    @Headers('idempotency-key') key?: string,
  ): Promise<ChargeResponse> {
    platformOnly(user);
    return toChargeResponse(await this.charges.cancel(id, idempotencyKeyOf(key)));
  }

  @PlatformOnly()
  @Post(':id/refunds')
  @ApiHeader(KEY_HEADER)
  @ApiCreatedResponse({ type: RefundResponse })
  async refund(
    @ConnectUser() user: StripeConnectUser,
    @Param('id') id: string,
    @Body() body: CreateRefundDto,
    @Headers('idempotency-key') key?: string,
  ): Promise<RefundResponse> {
    platformOnly(user);
    return toRefundResponse(await this.charges.refund(id, body, idempotencyKeyOf(key)));
  }
}
