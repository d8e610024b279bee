import {
  Body,
  Controller,
  Get,
  Headers,
  Param,
  Post,
  Put,
  Query,
  Res,
  UseFilters,
  UseGuards,
  UsePipes,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ConnectUser } from '../common/connect-user.decorator.js';
import { idempotencyKeyOf, platformOnly } from '../common/platform-only.js';
import { StripeConnectAuthGuard } from '../common/stripe-connect-auth.guard.js';
import { StripeConnectValidationPipe } from '../common/validation.js';
import { PlatformOnly } from '../common/route-access.decorator.js';
import { StripeConnectExceptionFilter } from '../common/stripe-connect-exception.filter.js';
import type { StripeConnectUser } from '../stripe-connect.options.js';
import { CustomerNotFoundError, CustomersService } from './customers.service.js';
import { CustomerListQueryDto, CustomerListResponse } from './dto/customer-list.dto.js';
import {
  CreatePlatformCustomerDto,
  CustomerResponse,
  SaveCardDto,
  toCustomerResponse,
} from './dto/customer.response.js';

/**
 * Customers on the platform: the caller's own platform customer (pinax-stripe's `customers.create(user)`), and
 * for the back office the list of connected accounts' customers or the platform's.
 */
@ApiTags('customers')
@ApiBearerAuth()
@Controller('connect/customers')
@UseGuards(StripeConnectAuthGuard)
@UsePipes(StripeConnectValidationPipe)
@UseFilters(StripeConnectExceptionFilter)
export class CustomerListsController {
  constructor(private readonly customers: CustomersService) {}

  /**
   * The caller's platform customer: created at Stripe the first time (201), the same one afterwards (200);
   * with `paymentMethod`, that card saved as its default (pinax-stripe's `customers.create(user, card=…)`).
   */
  @Post()
  @ApiCreatedResponse({
    type: CustomerResponse,
    description: 'Created (201), or the existing one (200)',
  })
  @ApiBadRequestResponse({ description: 'No such payment method, or one Stripe refuses to save' })
  async create(
    @ConnectUser() user: StripeConnectUser,
    @Body() body: CreatePlatformCustomerDto,
    @Res({ passthrough: true }) res: Response,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<CustomerResponse> {
    const { customer, created } = await this.customers.create(user.id, {
      ...body,
      idempotencyKey: idempotencyKeyOf(idempotencyKey),
    });
    res.status(created ? 201 : 200);
    return toCustomerResponse(customer);
  }

  @Get('me')
  @ApiOkResponse({ type: CustomerResponse })
  @ApiNotFoundResponse({ description: 'The caller has no platform customer yet' })
  async me(@ConnectUser() user: StripeConnectUser): Promise<CustomerResponse> {
    return toCustomerResponse(await this.mine(user));
  }

  /** Saves a card as the caller's default (replacing, and detaching, the saved one). */
  @Put('me/payment-method')
  @ApiOkResponse({ type: CustomerResponse })
  @ApiNotFoundResponse({ description: 'The caller has no platform customer yet' })
  @ApiBadRequestResponse({ description: 'No such payment method, or one Stripe refuses to save' })
  async saveMyCard(
    @ConnectUser() user: StripeConnectUser,
    @Body() body: SaveCardDto,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<CustomerResponse> {
    const customer = await this.customers.saveCard(await this.mine(user), body.paymentMethod, {
      idempotencyKey: idempotencyKeyOf(idempotencyKey),
    });
    return toCustomerResponse(customer);
  }

  /** The back office saves a card for any platform customer. */
  @PlatformOnly()
  @Put(':customer/payment-method')
  @ApiOkResponse({ type: CustomerResponse })
  @ApiNotFoundResponse({ description: 'No such platform customer' })
  @ApiBadRequestResponse({ description: 'No such payment method, or one Stripe refuses to save' })
  async saveCard(
    @ConnectUser() user: StripeConnectUser,
    @Param('customer') id: string,
    @Body() body: SaveCardDto,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<CustomerResponse> {
    platformOnly(user, 'Only the platform may save a card for another user');
    const customer = await this.customers.saveCard(
      await this.customers.platformCustomer(id),
      body.paymentMethod,
      { idempotencyKey: idempotencyKeyOf(idempotencyKey) },
    );
    return toCustomerResponse(customer);
  }

  private async mine(user: StripeConnectUser) {
    const customer = await this.customers.getCustomerForUser(user.id);
    if (!customer) throw new CustomerNotFoundError('You have no platform customer yet');
    return customer;
  }

  @PlatformOnly()
  @Get()
  @ApiOkResponse({ type: CustomerListResponse })
  async list(
    @ConnectUser() user: StripeConnectUser,
    @Query() query: CustomerListQueryDto,
  ): Promise<CustomerListResponse> {
    platformOnly(user, 'Only the platform’s back office may list customers');
    const page = await this.customers.list(query);
    return { object: 'list', data: page.data.map(toCustomerResponse), hasMore: page.hasMore };
  }
}
