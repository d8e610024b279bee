import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, Matches } from 'class-validator';
import { ListQueryDto } from '../../common/list-query.dto.js';
import { CustomerResponse } from './customer.response.js';

export class CustomerListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ description: 'Customers living on this connected account' })
  @IsOptional()
  @Matches(/^acct_\w+$/, { message: 'account must be a connected account id (acct_…)' })
  account?: string;

  @ApiPropertyOptional({
    description: 'Platform customers (true) instead of connected accounts’ customers',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean({ message: 'platform must be true or false' })
  platform?: boolean;
}

export class CustomerListResponse {
  @ApiProperty({ enum: ['list'] }) object: 'list';
  @ApiProperty({ type: [CustomerResponse] }) data: CustomerResponse[];
  @ApiProperty({ description: 'Older items follow: pass the last id as startingAfter' })
  hasMore: boolean;
}
