import {
  Body,
  Controller,
  Get,
  Post,
  Query,
  Res,
  UseFilters,
  UseGuards,
  UsePipes,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ConnectUser } from '../common/connect-user.decorator.js';
import { platformOnly } from '../common/platform-only.js';
import { StripeConnectAuthGuard } from '../common/stripe-connect-auth.guard.js';
import { StripeConnectValidationPipe } from '../common/validation.js';
import { PlatformOnly } from '../common/route-access.decorator.js';
import { StripeConnectExceptionFilter } from '../common/stripe-connect-exception.filter.js';
import type { StripeConnectUser } from '../stripe-connect.options.js';
import { CustomersService } from './customers.service.js';
import { CustomerListQueryDto, CustomerListResponse } from './dto/customer-list.dto.js';
import {
  CreateConnectedCustomerDto,
  CustomerResponse,
  toCustomerResponse,
} from './dto/customer.response.js';
import { StripeConnectError } from '../common/stripe-connect.errors.js';

class PlatformCustomerNotFoundError extends StripeConnectError {
  readonly status = 404;
  readonly code = 'customer_not_found';
}

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

  /** The caller's platform customer: created at Stripe the first time (201), the same one afterwards (200). */
  @Post()
  @ApiCreatedResponse({
    type: CustomerResponse,
    description: 'Created (201), or the existing one (200)',
  })
  async create(
    @ConnectUser() user: StripeConnectUser,
    @Body() body: CreateConnectedCustomerDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CustomerResponse> {
    const { customer, created } = await this.customers.create(user.id, body);
    res.status(created ? 201 : 200);
    return toCustomerResponse(customer);
  }

  @Get('me')
  @ApiOkResponse({ type: CustomerResponse })
  @ApiNotFoundResponse({ description: 'The caller has no platform customer yet' })
  async me(@ConnectUser() user: StripeConnectUser): Promise<CustomerResponse> {
    const customer = await this.customers.getCustomerForUser(user.id);
    if (!customer) throw new PlatformCustomerNotFoundError('You have no platform customer yet');
    return toCustomerResponse(customer);
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
