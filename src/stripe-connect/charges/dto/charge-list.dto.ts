import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, Matches } from 'class-validator';
import { ListQueryDto } from '../../common/list-query.dto.js';
import type { ApplicationFee } from '../application-fee.entity.js';
import { ChargeResponse, RefundResponse } from './charge.dto.js';

const ACCOUNT = /^acct_\w+$/;
const ACCOUNT_MESSAGE = 'account must be a connected account id (acct_…)';

export const CHARGE_STATUSES = [
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
  'processing',
  'requires_capture',
  'canceled',
  'succeeded',
];
export const REFUND_STATUSES = ['pending', 'requires_action', 'succeeded', 'failed', 'canceled'];

/** `GET /connect/charges`: by account (direct, destination or on behalf of), status, customer, time. */
export class ChargeListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ description: 'Charges of this account (required for an account owner)' })
  @IsOptional()
  @Matches(ACCOUNT, { message: ACCOUNT_MESSAGE })
  account?: string;

  @ApiPropertyOptional({ enum: CHARGE_STATUSES })
  @IsOptional()
  @IsIn(CHARGE_STATUSES)
  status?: string;

  @ApiPropertyOptional({ example: 'cus_1…' })
  @IsOptional()
  @Matches(/^cus_\w+$/, { message: 'customer must be a customer id (cus_…)' })
  customer?: string;
}

export class RefundListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ description: 'Refunds of this account’s charges' })
  @IsOptional()
  @Matches(ACCOUNT, { message: ACCOUNT_MESSAGE })
  account?: string;

  @ApiPropertyOptional({ enum: REFUND_STATUSES })
  @IsOptional()
  @IsIn(REFUND_STATUSES)
  status?: string;

  @ApiPropertyOptional({ example: 'pi_1…', description: 'Refunds of this charge' })
  @IsOptional()
  @Matches(/^pi_\w+$/, { message: 'charge must be a charge id (pi_…)' })
  charge?: string;
}

export class ApplicationFeeListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ description: 'Fees taken from this account' })
  @IsOptional()
  @Matches(ACCOUNT, { message: ACCOUNT_MESSAGE })
  account?: string;

  @ApiPropertyOptional({ description: 'Only fees refunded in full (true) or not (false)' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean({ message: 'refunded must be true or false' })
  refunded?: boolean;
}

export class ApplicationFeeResponse {
  @ApiProperty({ example: 'fee_1…' }) id: string;
  @ApiProperty() livemode: boolean;
  @ApiPropertyOptional({ nullable: true, type: String }) accountId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The charge (pi_…)' })
  paymentIntentId: string | null;
  @ApiProperty() amount: number;
  @ApiProperty() amountRefunded: number;
  @ApiProperty() currency: string;
  @ApiProperty() refunded: boolean;
}

export function toApplicationFeeResponse(fee: ApplicationFee): ApplicationFeeResponse {
  return {
    id: fee.id,
    livemode: fee.livemode,
    accountId: fee.accountId,
    paymentIntentId: fee.paymentIntentId,
    amount: fee.amount,
    amountRefunded: fee.amountRefunded,
    currency: fee.currency,
    refunded: fee.refunded,
  };
}

export class ChargeListResponse {
  @ApiProperty({ enum: ['list'] }) object: 'list';
  @ApiProperty({ type: [ChargeResponse] }) data: ChargeResponse[];
  @ApiProperty({ description: 'Older items follow: pass the last id as startingAfter' })
  hasMore: boolean;
}

export class RefundListResponse {
  @ApiProperty({ enum: ['list'] }) object: 'list';
  @ApiProperty({ type: [RefundResponse] }) data: RefundResponse[];
  @ApiProperty() hasMore: boolean;
}

export class ApplicationFeeListResponse {
  @ApiProperty({ enum: ['list'] }) object: 'list';
  @ApiProperty({ type: [ApplicationFeeResponse] }) data: ApplicationFeeResponse[];
  @ApiProperty() hasMore: boolean;
}
