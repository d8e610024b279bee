import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ListQueryDto } from '../../common/list-query.dto.js';
import { PayoutResponse, TransferResponse } from './transfer.dto.js';

const ACCOUNT = /^acct_\w+$/;
const ACCOUNT_MESSAGE = 'account must be a connected account id (acct_…)';
export const PAYOUT_STATUSES = ['pending', 'in_transit', 'paid', 'failed', 'canceled'];

export class TransferListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({
    description: 'Transfers this account received (required for an account owner)',
  })
  @IsOptional()
  @Matches(ACCOUNT, { message: ACCOUNT_MESSAGE })
  account?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(255)
  transferGroup?: string;

  @ApiPropertyOptional({ description: 'Only transfers reversed in full (true) or not (false)' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean({ message: 'reversed must be true or false' })
  reversed?: boolean;
}

export class PayoutListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ description: 'Payouts of this account (required for an account owner)' })
  @IsOptional()
  @Matches(ACCOUNT, { message: ACCOUNT_MESSAGE })
  account?: string;

  @ApiPropertyOptional({ enum: PAYOUT_STATUSES })
  @IsOptional()
  @IsIn(PAYOUT_STATUSES)
  status?: string;
}

export class TransferListResponse {
  @ApiProperty({ enum: ['list'] }) object: 'list';
  @ApiProperty({ type: [TransferResponse] }) data: TransferResponse[];
  @ApiProperty({ description: 'Older items follow: pass the last id as startingAfter' })
  hasMore: boolean;
}

export class PayoutListResponse {
  @ApiProperty({ enum: ['list'] }) object: 'list';
  @ApiProperty({ type: [PayoutResponse] }) data: PayoutResponse[];
  @ApiProperty() hasMore: boolean;
}
