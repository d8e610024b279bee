import {
  Body,
  Controller,
  Get,
  Headers,
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
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { idempotencyKeyOf, platformOnly } from '../common/platform-only.js';
import { ConnectUser } from '../common/connect-user.decorator.js';
import { StripeConnectAuthGuard } from '../common/stripe-connect-auth.guard.js';
import { StripeConnectExceptionFilter } from '../common/stripe-connect-exception.filter.js';
import { AccountOwnerOnly, PlatformOnly } from '../common/route-access.decorator.js';
import { StripeConnectValidationPipe } from '../common/validation.js';
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
import {
  PayoutListQueryDto,
  PayoutListResponse,
  TransferListQueryDto,
  TransferListResponse,
} from './dto/transfer-list.dto.js';
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
@UsePipes(StripeConnectValidationPipe)
@UseFilters(StripeConnectExceptionFilter)
export class TransfersController {
  constructor(private readonly transfers: TransfersService) {}

  /** The platform's transfers, or (an owner) those one of their accounts received; cursor-paginated. */
  @Get()
  @ApiOkResponse({ type: TransferListResponse })
  async list(
    @ConnectUser() user: StripeConnectUser,
    @Query() query: TransferListQueryDto,
  ): Promise<TransferListResponse> {
    const page = await this.transfers.listTransfers(user, query);
    return { object: 'list', data: page.data.map(toTransferResponse), hasMore: page.hasMore };
  }

  @PlatformOnly()
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

  @PlatformOnly()
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
@AccountOwnerOnly()
@UseGuards(StripeConnectAuthGuard)
@UsePipes(StripeConnectValidationPipe)
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

/** Every account's payouts (the platform) or one owner's account's, and the platform's own balance. */
@ApiTags('payouts')
@ApiBearerAuth()
@Controller('connect')
@UseGuards(StripeConnectAuthGuard)
@UsePipes(StripeConnectValidationPipe)
@UseFilters(StripeConnectExceptionFilter)
export class PlatformMoneyController {
  constructor(private readonly transfers: TransfersService) {}

  @Get('payouts')
  @ApiOkResponse({ type: PayoutListResponse })
  async payouts(
    @ConnectUser() user: StripeConnectUser,
    @Query() query: PayoutListQueryDto,
  ): Promise<PayoutListResponse> {
    const page = await this.transfers.listPayouts(user, query);
    return { object: 'list', data: page.data.map(toPayoutResponse), hasMore: page.hasMore };
  }

  /** The platform's own Stripe balance (available and pending, per currency). */
  @PlatformOnly()
  @Get('balance')
  @ApiOkResponse({ type: BalanceResponse })
  balance(@ConnectUser() user: StripeConnectUser): Promise<BalanceResponse> {
    platformOnly(user, 'Only the platform’s back office may read the platform’s balance');
    return this.transfers.platformBalance();
  }
}
