import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  UploadedFiles,
  UseFilters,
  UseGuards,
  UseInterceptors,
  UsePipes,
} from '@nestjs/common';
import { AnyFilesInterceptor } from '@nestjs/platform-express';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { ConnectUser } from '../common/connect-user.decorator.js';
import { StripeConnectAuthGuard } from '../common/stripe-connect-auth.guard.js';
import { StripeConnectExceptionFilter } from '../common/stripe-connect-exception.filter.js';
import { StripeConnectValidationPipe, validationFailed } from '../common/validation.js';
import { AccountOwnerOnly } from '../common/route-access.decorator.js';
import { StripeConnectThrottlerGuard } from '../common/stripe-connect-throttler.guard.js';
import type { StripeConnectUser } from '../stripe-connect.options.js';
import { AccountsService } from './accounts.service.js';
import {
  AccountResponse,
  ExternalAccountResponse,
  toAccountResponse,
  toExternalAccountResponse,
} from './dto/account.response.js';
import {
  AddExternalAccountDto,
  DeletedExternalAccountResponse,
} from './dto/external-account.dto.js';
import { AccountListQueryDto, AccountListResponse } from './dto/account-list.dto.js';
import { InitialCustomAccountDto } from './dto/initial-custom-account.dto.js';
import { VerificationStateResponse } from './dto/verification-state.response.js';
import { VerificationService } from './verification.service.js';
import { DOCUMENT_MAX_BYTES } from './verification-form.js';
import type { UploadedDocument } from '../common/file-type.js';

@ApiTags('accounts')
@ApiBearerAuth()
@Controller('connect/accounts')
@UseGuards(StripeConnectAuthGuard)
@UsePipes(StripeConnectValidationPipe)
@UseFilters(StripeConnectExceptionFilter)
export class AccountsController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly verificationService: VerificationService,
  ) {}

  /** Creates the caller's custom account from the initial onboarding form. */
  @Post('custom')
  @UseGuards(StripeConnectThrottlerGuard)
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'A retried submission creates one account',
  })
  @ApiCreatedResponse({ type: AccountResponse })
  @ApiBadRequestResponse({ description: 'Field errors, from the form or from Stripe' })
  async createCustom(
    @ConnectUser() user: StripeConnectUser,
    @Body() form: InitialCustomAccountDto,
    @Req() req: Request,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<AccountResponse> {
    if (idempotencyKey !== undefined && !/^[\x21-\x7e]{1,255}$/.test(idempotencyKey)) {
      throw validationFailed({ 'Idempotency-Key': ['must be 1 to 255 printable characters'] });
    }
    const account = await this.accounts.createCustom(user, form, {
      // Express's req.ip honours X-Forwarded-For only when the host configured trusted proxies.
      ip: req.ip ?? req.socket.remoteAddress ?? '0.0.0.0',
      userAgent: req.headers['user-agent'],
      idempotencyKey,
    });
    return toAccountResponse(account);
  }

  /**
   * The caller's connected accounts (every account, or one user's, for the platform), from the local mirror,
   * newest first and cursor-paginated like Stripe's lists.
   */
  @Get()
  @ApiOkResponse({ type: AccountListResponse })
  async list(
    @ConnectUser() user: StripeConnectUser,
    @Query() query: AccountListQueryDto,
  ): Promise<AccountListResponse> {
    const page = await this.accounts.list(user, query);
    return { object: 'list', data: page.data.map(toAccountResponse), hasMore: page.hasMore };
  }

  /** What Stripe needs of the account: due date, requirements, errors, and a form description to render. */
  @Get(':id/verification')
  @AccountOwnerOnly()
  @ApiOkResponse({ type: VerificationStateResponse })
  @ApiNotFoundResponse({ description: 'No such account, or not the caller’s' })
  verification(
    @ConnectUser() user: StripeConnectUser,
    @Param('id') id: string,
  ): Promise<VerificationStateResponse> {
    return this.verificationService.state(user, id);
  }

  /** The follow-up form: exactly the fields of the current form, keyed by their `name`. */
  @Post(':id/verification')
  @HttpCode(200)
  // The guards (owner, then rate limit) run before the upload interceptor reads a byte of the files.
  @AccountOwnerOnly()
  @UseGuards(StripeConnectThrottlerGuard)
  @UseInterceptors(
    AnyFilesInterceptor({ limits: { fileSize: DOCUMENT_MAX_BYTES + 1, files: 10, fields: 200 } }),
  )
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      additionalProperties: true,
      example: { 'individual.id_number': '000000000' },
    },
  })
  @ApiOkResponse({ type: VerificationStateResponse })
  @ApiBadRequestResponse({
    description: 'Fields not in the form, or failing their checks, or refused by Stripe',
  })
  submitVerification(
    @ConnectUser() user: StripeConnectUser,
    @Param('id') id: string,
    @Body() body: Record<string, unknown> | undefined,
    @Req() req: Request,
    @UploadedFiles() files: UploadedDocument[] | undefined,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<VerificationStateResponse> {
    const fields = body ?? {};
    if (typeof fields !== 'object' || Array.isArray(fields)) {
      throw validationFailed({ form: ['The body must be an object of form fields'] });
    }
    return this.verificationService.submit(
      user,
      id,
      fields,
      {
        ip: req.ip ?? req.socket.remoteAddress ?? '0.0.0.0',
        userAgent: req.headers['user-agent'],
        idempotencyKey,
      },
      files ?? [],
    );
  }

  /** The bank accounts of the account, from the local mirror. */
  @Get(':id/external-accounts')
  @AccountOwnerOnly()
  @ApiOkResponse({ type: [ExternalAccountResponse] })
  @ApiNotFoundResponse({ description: 'No such account, or not the caller’s' })
  async externalAccounts(
    @ConnectUser() user: StripeConnectUser,
    @Param('id') id: string,
  ): Promise<ExternalAccountResponse[]> {
    return (await this.accounts.externalAccounts(user, id)).map(toExternalAccountResponse);
  }

  /** Adds a bank account to a custom account. */
  @Post(':id/external-accounts')
  @AccountOwnerOnly()
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: ExternalAccountResponse })
  @ApiBadRequestResponse({ description: 'Field errors, from the country rules or from Stripe' })
  async addExternalAccount(
    @ConnectUser() user: StripeConnectUser,
    @Param('id') id: string,
    @Body() form: AddExternalAccountDto,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<ExternalAccountResponse> {
    return toExternalAccountResponse(
      await this.accounts.addExternalAccount(user, id, form, idempotencyKey),
    );
  }

  /** Removes a bank account of a custom account (not the default one of its default currency). */
  @Delete(':id/external-accounts/:externalAccount')
  @AccountOwnerOnly()
  @HttpCode(200)
  @ApiOkResponse({ type: DeletedExternalAccountResponse })
  @ApiNotFoundResponse({ description: 'No such account or bank account, or not the caller’s' })
  @ApiBadRequestResponse({ description: 'The default bank account of the default currency' })
  async deleteExternalAccount(
    @ConnectUser() user: StripeConnectUser,
    @Param('id') id: string,
    @Param('externalAccount') externalAccount: string,
  ): Promise<DeletedExternalAccountResponse> {
    await this.accounts.deleteExternalAccount(user, id, externalAccount);
    return { id: externalAccount, deleted: true };
  }

  /** Makes a bank account the payout destination for its currency. */
  @Post(':id/external-accounts/:externalAccount/default')
  @AccountOwnerOnly()
  @HttpCode(200)
  @ApiOkResponse({ type: ExternalAccountResponse })
  @ApiNotFoundResponse({ description: 'No such account or bank account, or not the caller’s' })
  async setDefaultExternalAccount(
    @ConnectUser() user: StripeConnectUser,
    @Param('id') id: string,
    @Param('externalAccount') externalAccount: string,
  ): Promise<ExternalAccountResponse> {
    return toExternalAccountResponse(
      await this.accounts.setDefaultExternalAccount(user, id, externalAccount),
    );
  }

  @Get(':id')
  @AccountOwnerOnly()
  @ApiOkResponse({ type: AccountResponse })
  @ApiNotFoundResponse({ description: 'No such account, or not the caller’s' })
  async get(
    @ConnectUser() user: StripeConnectUser,
    @Param('id') id: string,
  ): Promise<AccountResponse> {
    return toAccountResponse(await this.accounts.get(user, id));
  }
}
