import {
  Body,
  Controller,
  Get,
  Param,
  Post,
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
import { StripeConnectAuthGuard } from '../common/stripe-connect-auth.guard.js';
import { StripeConnectExceptionFilter } from '../common/stripe-connect-exception.filter.js';
import { StripeConnectError } from '../common/stripe-connect.errors.js';
import { StripeConnectValidationPipe } from '../common/validation.js';
import type { StripeConnectUser } from '../stripe-connect.options.js';
import { CustomersService } from './customers.service.js';
import {
  CreateConnectedCustomerDto,
  CustomerResponse,
  toCustomerResponse,
} from './dto/customer.response.js';

class CustomerNotFoundError extends StripeConnectError {
  readonly status = 404;
  readonly code = 'customer_not_found';
}

/** Any signed-in user may become a customer (a buyer) of a connected account, and read their customer there. */
@ApiTags('customers')
@ApiBearerAuth()
@Controller('connect/accounts/:id/customers')
@UseGuards(StripeConnectAuthGuard)
@UsePipes(StripeConnectValidationPipe)
@UseFilters(StripeConnectExceptionFilter)
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Post()
  @ApiCreatedResponse({
    type: CustomerResponse,
    description: 'Created (201), or the existing one (200)',
  })
  @ApiNotFoundResponse({ description: 'No such connected account' })
  async create(
    @ConnectUser() user: StripeConnectUser,
    @Param('id') accountId: string,
    @Body() body: CreateConnectedCustomerDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CustomerResponse> {
    const { customer, created } = await this.customers.create(user.id, {
      stripeAccount: accountId,
      ...body,
    });
    res.status(created ? 201 : 200);
    return toCustomerResponse(customer);
  }

  @Get('me')
  @ApiOkResponse({ type: CustomerResponse })
  @ApiNotFoundResponse({ description: 'The caller is not a customer of this account' })
  async me(
    @ConnectUser() user: StripeConnectUser,
    @Param('id') accountId: string,
  ): Promise<CustomerResponse> {
    const customer = await this.customers.getCustomerForUser(user.id, { stripeAccount: accountId });
    if (!customer) throw new CustomerNotFoundError(`You are not a customer of ${accountId}`);
    return toCustomerResponse(customer);
  }
}
