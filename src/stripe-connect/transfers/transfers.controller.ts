import { Body, Controller, Get, Headers, Param, Post, UseFilters, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { idempotencyKeyOf, platformOnly } from '../common/platform-only.js';
import { ConnectUser } from '../common/connect-user.decorator.js';
import { StripeConnectAuthGuard } from '../common/stripe-connect-auth.guard.js';
import { StripeConnectExceptionFilter } from '../common/stripe-connect-exception.filter.js';
import type { StripeConnectUser } from '../stripe-connect.options.js';
import {
  BalanceResponse,
  CreatePayoutDto,
  CreateReversalDto,
  CreateTransferDto,
  PayoutResponse,
  ReversalResponse,
  toPayoutResponse,
  toReversalResponse,
  toTransferResponse,
  TransferResponse,
} from './dto/transfer.dto.js';
import { TransfersService } from './transfers.service.js';

const KEY_HEADER = {
  name: 'Idempotency-Key',
  required: false,
  description: 'A retried request moves no money twice',
};

/** Transfers to connected accounts: the platform only. */
@ApiTags('transfers')
@ApiBearerAuth()
@Controller('connect/transfers')
@UseGuards(StripeConnectAuthGuard)
@UseFilters(StripeConnectExceptionFilter)
export class TransfersController {
  constructor(private readonly transfers: TransfersService) {}

  @Post()
  @ApiHeader(KEY_HEADER)
  @ApiCreatedResponse({ type: TransferResponse })
  async create(
    @ConnectUser() user: StripeConnectUser,
    @Body() form: CreateTransferDto,
    @Headers('idempotency-key') key?: string,
  ): Promise<TransferResponse> {
    platformOnly(user);
    return toTransferResponse(await this.transfers.create(form, idempotencyKeyOf(key)));
  }

  @Post(':id/reversals')
  @ApiHeader(KEY_HEADER)
  @ApiCreatedResponse({ type: ReversalResponse })
  async reverse(
    @ConnectUser() user: StripeConnectUser,
    @Param('id') id: string,
    @Body() body: CreateReversalDto,
    @Headers('idempotency-key') key?: string,
  ): Promise<ReversalResponse> {
    platformOnly(user);
    return toReversalResponse(await this.transfers.reverse(id, body.amount, idempotencyKeyOf(key)));
  }
}

/** A connected account's balance and payouts: its owner, or the platform. */
@ApiTags('payouts')
@ApiBearerAuth()
@Controller('connect/accounts/:id')
@UseGuards(StripeConnectAuthGuard)
@UseFilters(StripeConnectExceptionFilter)
export class PayoutsController {
  constructor(private readonly transfers: TransfersService) {}

  @Get('balance')
  @ApiOkResponse({ type: BalanceResponse })
  @ApiNotFoundResponse({ description: 'No such account, or not the caller’s' })
  balance(
    @ConnectUser() user: StripeConnectUser,
    @Param('id') id: string,
  ): Promise<BalanceResponse> {
    return this.transfers.balance(user, id);
  }

  @Get('payouts')
  @ApiOkResponse({ type: [PayoutResponse] })
  async payouts(
    @ConnectUser() user: StripeConnectUser,
    @Param('id') id: string,
  ): Promise<PayoutResponse[]> {
    return (await this.transfers.payouts(user, id)).map(toPayoutResponse);
  }

  @Post('payouts')
  @ApiHeader(KEY_HEADER)
  @ApiCreatedResponse({ type: PayoutResponse })
  async payout(
    @ConnectUser() user: StripeConnectUser,
    @Param('id') id: string,
    @Body() form: CreatePayoutDto,
    @Headers('idempotency-key') key?: string,
  ): Promise<PayoutResponse> {
    return toPayoutResponse(await this.transfers.payout(user, id, form, idempotencyKeyOf(key)));
  }
}
