import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
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
  ApiOperation,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ConnectUser } from '../common/connect-user.decorator.js';
import { StripeConnectAuthGuard } from '../common/stripe-connect-auth.guard.js';
import { StripeConnectExceptionFilter } from '../common/stripe-connect-exception.filter.js';
import { StripeConnectPublic } from '../common/stripe-connect-public.decorator.js';
import { AccountOwnerOnly } from '../common/route-access.decorator.js';
import { StripeConnectThrottlerGuard } from '../common/stripe-connect-throttler.guard.js';
import { StripeConnectValidationPipe } from '../common/validation.js';
import { STRIPE_CONNECT_OPTIONS } from '../stripe-connect.constants.js';
import type { ResolvedStripeConnectOptions, StripeConnectUser } from '../stripe-connect.options.js';
import type { Account } from './account.entity.js';
import { AccountResponse, toAccountResponse } from './dto/account.response.js';
import {
  AuthorizeUrlResponse,
  CreateHostedAccountDto,
  HostedAccountResponse,
  LoginLinkResponse,
  OnboardingLinkDto,
  OnboardingLinkResponse,
} from './dto/create-hosted-account.dto.js';
import { OnboardingService } from './onboarding.service.js';

/** Express and Standard accounts through Stripe's hosted onboarding, and OAuth. */
@ApiTags('onboarding')
@Controller('connect')
// Every route: the library's guard (the public ones skip authentication, not the input checks), pipe, filter.
@UseGuards(StripeConnectAuthGuard)
@UsePipes(StripeConnectValidationPipe)
@UseFilters(StripeConnectExceptionFilter)
export class OnboardingController {
  constructor(
    private readonly onboarding: OnboardingService,
    @Inject(STRIPE_CONNECT_OPTIONS) private readonly options: ResolvedStripeConnectOptions,
  ) {}

  @Post('accounts')
  @UseGuards(StripeConnectThrottlerGuard)
  @ApiBearerAuth()
  @ApiCreatedResponse({ type: HostedAccountResponse })
  async create(
    @ConnectUser() user: StripeConnectUser,
    @Body() form: CreateHostedAccountDto,
  ): Promise<HostedAccountResponse> {
    const { account, link } = await this.onboarding.createHosted(user, form);
    return {
      accountId: account.id,
      onboarding: { url: link.url, expiresAt: link.expiresAt.toISOString() },
    };
  }

  @Post('accounts/:id/onboarding-link')
  @AccountOwnerOnly()
  @UseGuards(StripeConnectThrottlerGuard)
  @ApiBearerAuth()
  @HttpCode(201)
  @ApiCreatedResponse({ type: OnboardingLinkResponse })
  @ApiNotFoundResponse({ description: 'No such account, or not the caller’s' })
  async onboardingLink(
    @ConnectUser() user: StripeConnectUser,
    @Param('id') id: string,
    @Body() body: OnboardingLinkDto,
  ): Promise<OnboardingLinkResponse> {
    const link = await this.onboarding.onboardingLink(user, id, body.type);
    return { url: link.url, expiresAt: link.expiresAt.toISOString() };
  }

  @Post('accounts/:id/login-link')
  @AccountOwnerOnly()
  @UseGuards(StripeConnectThrottlerGuard)
  @ApiBearerAuth()
  @HttpCode(201)
  @ApiCreatedResponse({ type: LoginLinkResponse })
  async loginLink(
    @ConnectUser() user: StripeConnectUser,
    @Param('id') id: string,
  ): Promise<LoginLinkResponse> {
    return { url: await this.onboarding.loginLink(user, id) };
  }

  @Post('accounts/:id/deauthorize')
  @AccountOwnerOnly()
  @ApiBearerAuth()
  @HttpCode(200)
  @ApiOkResponse({ type: AccountResponse })
  async deauthorize(
    @ConnectUser() user: StripeConnectUser,
    @Param('id') id: string,
  ): Promise<AccountResponse> {
    return toAccountResponse(await this.onboarding.deauthorize(user, id));
  }

  @Get('oauth/authorize-url')
  @UseGuards(StripeConnectThrottlerGuard)
  @ApiBearerAuth()
  @ApiOkResponse({ type: AuthorizeUrlResponse })
  authorizeUrl(@ConnectUser() user: StripeConnectUser): AuthorizeUrlResponse {
    const { url, expiresAt } = this.onboarding.authorizeUrl(user);
    return { url, expiresAt: expiresAt.toISOString() };
  }

  /** Where an expired or used Account Link sends the browser: on to a fresh link. */
  @Get('onboarding/refresh')
  @StripeConnectPublic()
  @UseGuards(StripeConnectThrottlerGuard)
  @ApiOperation({
    summary: 'Browser: an expired Account Link’s refresh URL',
    description:
      'No JWT: the signed, short-lived `state` authenticates. Redirects to a fresh link.',
  })
  @ApiQuery({ name: 'state', required: true, description: 'The signed state of the link' })
  @ApiResponse({ status: 303, description: 'Redirect to a fresh Account Link' })
  @ApiBadRequestResponse({ description: 'Missing, forged or expired state' })
  async refresh(@Query('state') state: unknown, @Res() res: Response): Promise<void> {
    const link = await this.onboarding.refresh(state);
    res.redirect(303, link.url);
  }

  /** Where Stripe sends the browser after onboarding: back to the app (or the account, as JSON). */
  @Get('onboarding/return')
  @StripeConnectPublic()
  @UseGuards(StripeConnectThrottlerGuard)
  @ApiOperation({
    summary: 'Browser: where Stripe sends the user after onboarding',
    description:
      'No JWT: the signed `state` authenticates. Redirects to the configured return URL (with `account` ' +
      'and `details_submitted`), or answers the account as JSON when none is configured.',
  })
  @ApiQuery({ name: 'state', required: true })
  @ApiResponse({ status: 303, description: 'Redirect back to the app' })
  @ApiOkResponse({ type: AccountResponse, description: 'Without a return URL' })
  @ApiBadRequestResponse({ description: 'Missing, forged or expired state' })
  async returned(@Query('state') state: unknown, @Res() res: Response): Promise<void> {
    this.finish(res, await this.onboarding.returned(state));
  }

  /** Where Stripe's OAuth sends the browser: the account is connected and stored with its owner. */
  @Get('oauth/callback')
  @StripeConnectPublic()
  @UseGuards(StripeConnectThrottlerGuard)
  @ApiOperation({
    summary: 'Browser: Stripe OAuth’s redirect URI for Standard accounts',
    description:
      'No JWT: the single-use signed `state` authenticates. The account is connected and stored with its ' +
      'owner; redirects to the return URL, or answers the account as JSON.',
  })
  @ApiQuery({ name: 'code', required: false })
  @ApiQuery({ name: 'state', required: true })
  @ApiQuery({ name: 'error', required: false })
  @ApiQuery({ name: 'error_description', required: false })
  @ApiResponse({ status: 303, description: 'Redirect back to the app' })
  @ApiOkResponse({ type: AccountResponse, description: 'Without a return URL' })
  @ApiBadRequestResponse({ description: 'Missing, used or forged state, or an OAuth error' })
  async oauthCallback(
    @Query()
    query: { code?: unknown; state?: unknown; error?: unknown; error_description?: unknown },
    @Res() res: Response,
  ): Promise<void> {
    this.finish(res, await this.onboarding.oauthCallback(query));
  }

  private finish(res: Response, account: Account): void {
    const target = this.options.onboarding.returnUrl;
    if (!target) {
      res.status(200).json(toAccountResponse(account));
      return;
    }
    const url = new URL(target);
    url.searchParams.set('account', account.id);
    url.searchParams.set('details_submitted', String(account.detailsSubmitted));
    res.redirect(303, url.toString());
  }
}
