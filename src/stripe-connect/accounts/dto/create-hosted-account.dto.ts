import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional } from 'class-validator';
import { SUPPORTED_COUNTRIES } from '../country-rules.js';

/** An Express or Standard account, onboarded on Stripe's hosted pages. */
export class CreateHostedAccountDto {
  @ApiProperty({ enum: ['express', 'standard'] })
  @IsIn(['express', 'standard'])
  type: 'express' | 'standard';

  @ApiPropertyOptional({ enum: SUPPORTED_COUNTRIES, example: 'US', description: 'Default US' })
  @IsOptional()
  @IsIn(SUPPORTED_COUNTRIES)
  country?: string;

  @ApiPropertyOptional({ example: 'seller@example.com' })
  @IsOptional()
  @IsEmail()
  email?: string;
}

export class OnboardingLinkDto {
  @ApiPropertyOptional({
    enum: ['account_onboarding', 'account_update'],
    default: 'account_onboarding',
  })
  @IsOptional()
  @IsIn(['account_onboarding', 'account_update'])
  type?: 'account_onboarding' | 'account_update';
}

export class OnboardingLinkResponse {
  @ApiProperty({ description: 'Single use; a secret: do not log it' }) url: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
}

export class HostedAccountResponse {
  @ApiProperty({ example: 'acct_1…' }) accountId: string;
  @ApiProperty({ type: OnboardingLinkResponse }) onboarding: OnboardingLinkResponse;
}

export class AuthorizeUrlResponse {
  @ApiProperty() url: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
}

export class LoginLinkResponse {
  @ApiProperty() url: string;
}
