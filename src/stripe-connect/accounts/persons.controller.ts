import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  UseFilters,
  UseGuards,
  UsePipes,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ConnectUser } from '../common/connect-user.decorator.js';
import { idempotencyKeyOf } from '../common/platform-only.js';
import { StripeConnectAuthGuard } from '../common/stripe-connect-auth.guard.js';
import { StripeConnectValidationPipe } from '../common/validation.js';
import { AccountOwnerOnly } from '../common/route-access.decorator.js';
import { StripeConnectExceptionFilter } from '../common/stripe-connect-exception.filter.js';
import type { StripeConnectUser } from '../stripe-connect.options.js';
import { CreatePersonDto, PersonResponse, toPersonResponse } from './dto/company-person.dto.js';
import { PersonsService } from './persons.service.js';

/** The persons of a company account: its owner (or the platform) adds and removes them. */
@ApiTags('accounts')
@ApiBearerAuth()
@Controller('connect/accounts/:id/persons')
@AccountOwnerOnly()
@UseGuards(StripeConnectAuthGuard)
@UsePipes(StripeConnectValidationPipe)
@UseFilters(StripeConnectExceptionFilter)
export class PersonsController {
  constructor(private readonly persons: PersonsService) {}

  @Get()
  @ApiOkResponse({ type: [PersonResponse] })
  @ApiNotFoundResponse({ description: 'No such account, or not the caller’s' })
  async list(
    @ConnectUser() user: StripeConnectUser,
    @Param('id') id: string,
  ): Promise<PersonResponse[]> {
    return (await this.persons.list(user, id)).map(toPersonResponse);
  }

  /** Adds a representative, owner, director or executive (pinax-stripe had no persons: legal_entity only). */
  @Post()
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: PersonResponse })
  @ApiBadRequestResponse({ description: 'Field errors, from the country rules or from Stripe' })
  async create(
    @ConnectUser() user: StripeConnectUser,
    @Param('id') id: string,
    @Body() form: CreatePersonDto,
    @Headers('idempotency-key') key?: string,
  ): Promise<PersonResponse> {
    return toPersonResponse(await this.persons.create(user, id, form, idempotencyKeyOf(key)));
  }

  @Delete(':person')
  @HttpCode(204)
  @ApiNotFoundResponse({ description: 'No such account or person, or not the caller’s' })
  async remove(
    @ConnectUser() user: StripeConnectUser,
    @Param('id') id: string,
    @Param('person') person: string,
  ): Promise<void> {
    await this.persons.remove(user, id, person);
  }
}
