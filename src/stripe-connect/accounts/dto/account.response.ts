import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Account } from '../account.entity.js';
import type { ExternalAccount } from '../external-account.entity.js';

export class ExternalAccountResponse {
  @ApiProperty({ example: 'ba_1…' }) id: string;
  @ApiProperty() livemode: boolean;
  @ApiProperty({ enum: ['bank_account', 'card'] }) object: string;
  @ApiPropertyOptional({ nullable: true, type: String }) bankName: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: '6789' }) last4: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) country: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) currency: string | null;
  @ApiProperty() defaultForCurrency: boolean;
  @ApiPropertyOptional({ nullable: true, type: String }) status: string | null;
}

export class RequirementsResponse {
  @ApiProperty({ type: [String] }) currentlyDue: string[];
  @ApiProperty({ type: [String] }) eventuallyDue: string[];
  @ApiProperty({ type: [String] }) pastDue: string[];
  @ApiProperty({ type: [String] }) pendingVerification: string[];
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' }) currentDeadline:
    string | null;
}

export class AccountResponse {
  @ApiProperty({ example: 'acct_1…' }) id: string;
  @ApiProperty() livemode: boolean;
  @ApiProperty({ enum: ['standard', 'express', 'custom', 'none'] }) type: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The owning user' }) userId:
    string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) country: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) defaultCurrency: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) email: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) businessType: string | null;
  @ApiProperty() chargesEnabled: boolean;
  @ApiProperty() payoutsEnabled: boolean;
  @ApiProperty() detailsSubmitted: boolean;
  @ApiProperty({ type: RequirementsResponse }) requirements: RequirementsResponse;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' }) verificationDueBy:
    string | null;
  @ApiProperty({ type: [String] }) verificationFieldsNeeded: string[];
  @ApiPropertyOptional({ nullable: true, type: String }) disabledReason: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { card_payments: 'active' },
  })
  capabilities: Record<string, string>;
  @ApiProperty() authorized: boolean;
  @ApiProperty({ type: [ExternalAccountResponse] }) externalAccounts: ExternalAccountResponse[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

function list(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function toExternalAccountResponse(external: ExternalAccount): ExternalAccountResponse {
  return {
    id: external.id,
    livemode: external.livemode,
    object: external.object,
    bankName: external.bankName,
    last4: external.last4,
    country: external.country,
    currency: external.currency,
    defaultForCurrency: external.defaultForCurrency,
    status: external.status,
  };
}

export function toAccountResponse(account: Account): AccountResponse {
  const requirements = account.requirements ?? {};
  const deadline = requirements.current_deadline;
  return {
    id: account.id,
    livemode: account.livemode,
    type: account.type,
    userId: account.userId,
    country: account.country,
    defaultCurrency: account.defaultCurrency,
    email: account.email,
    businessType: account.businessType,
    chargesEnabled: account.chargesEnabled,
    payoutsEnabled: account.payoutsEnabled,
    detailsSubmitted: account.detailsSubmitted,
    requirements: {
      currentlyDue: list(requirements.currently_due),
      eventuallyDue: list(requirements.eventually_due),
      pastDue: list(requirements.past_due),
      pendingVerification: list(requirements.pending_verification),
      currentDeadline:
        typeof deadline === 'number' ? new Date(deadline * 1000).toISOString() : null,
    },
    verificationDueBy: account.verificationDueBy?.toISOString() ?? null,
    verificationFieldsNeeded: account.verificationFieldsNeeded,
    disabledReason: account.disabledReason,
    capabilities: account.capabilities,
    authorized: account.authorized,
    externalAccounts: (account.externalAccounts ?? []).map(toExternalAccountResponse),
    createdAt: account.createdAt.toISOString(),
    updatedAt: account.updatedAt.toISOString(),
  };
}
