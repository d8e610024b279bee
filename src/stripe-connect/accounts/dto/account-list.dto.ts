import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { ListQueryDto } from '../../common/list-query.dto.js';
import { AccountResponse } from './account.response.js';

export const ACCOUNT_TYPES = ['standard', 'express', 'custom'] as const;
/**
 * `active`: charges and payouts enabled; `restricted`: connected, but charges or payouts are not enabled
 * (something is due or under review); `disconnected`: deauthorized from the platform or deleted.
 */
export const ACCOUNT_STATUSES = ['active', 'restricted', 'disconnected'] as const;
export type AccountStatusFilter = (typeof ACCOUNT_STATUSES)[number];

/** `GET /connect/accounts`: the caller's accounts (every account for the platform), newest first. */
export class AccountListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: ACCOUNT_TYPES })
  @IsOptional()
  @IsIn(ACCOUNT_TYPES, { message: `type must be one of ${ACCOUNT_TYPES.join(', ')}` })
  type?: (typeof ACCOUNT_TYPES)[number];

  @ApiPropertyOptional({ enum: ACCOUNT_STATUSES })
  @IsOptional()
  @IsIn(ACCOUNT_STATUSES, { message: `status must be one of ${ACCOUNT_STATUSES.join(', ')}` })
  status?: AccountStatusFilter;

  @ApiPropertyOptional({ description: 'Accounts of this platform user (the platform only)' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  user?: string;
}

export class AccountListResponse {
  @ApiProperty({ enum: ['list'] }) object: 'list';
  @ApiProperty({ type: [AccountResponse] }) data: AccountResponse[];
  @ApiProperty({ description: 'Older items follow: pass the last id as startingAfter' })
  hasMore: boolean;
}
