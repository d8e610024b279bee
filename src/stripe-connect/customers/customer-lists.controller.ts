import { Controller, Get, Query, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ConnectUser } from '../common/connect-user.decorator.js';
import { platformOnly } from '../common/platform-only.js';
import { StripeConnectAuthGuard } from '../common/stripe-connect-auth.guard.js';
import { StripeConnectExceptionFilter } from '../common/stripe-connect-exception.filter.js';
import type { StripeConnectUser } from '../stripe-connect.options.js';
import { CustomersService } from './customers.service.js';
import { CustomerListQueryDto, CustomerListResponse } from './dto/customer-list.dto.js';
import { toCustomerResponse } from './dto/customer.response.js';

/** Customers, for the platform's back office: connected accounts' customers, or the platform's own. */
@ApiTags('customers')
@ApiBearerAuth()
@Controller('connect/customers')
@UseGuards(StripeConnectAuthGuard)
@UseFilters(StripeConnectExceptionFilter)
export class CustomerListsController {
  constructor(private readonly customers: CustomersService) {}

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
