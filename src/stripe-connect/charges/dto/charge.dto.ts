import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';
import type { Charge } from '../charge.entity.js';
import type { Refund } from '../refund.entity.js';
import { IsStripeCurrency } from '../../stripe/is-stripe-currency.decorator.js';

export class CreateChargeDto {
  @ApiProperty({ example: 5000, description: 'Integer minor units of currency' })
  @IsInt()
  @Min(1)
  @Max(99_999_999)
  amount: number;

  @ApiProperty({ example: 'usd' })
  @IsStripeCurrency()
  currency: string;

  @ApiPropertyOptional({
    example: 'pm_card_visa',
    description: "The payment method to charge; without it, the customer's saved card",
  })
  @IsOptional()
  @IsString()
  @Length(3, 255)
  paymentMethod?: string;

  @ApiPropertyOptional({
    description: 'Destination charge: the connected account paid (transfer_data.destination)',
  })
  @IsOptional()
  @Matches(/^acct_\w+$/, { message: 'destination must be a connected account id (acct_…)' })
  destination?: string;

  @ApiPropertyOptional({
    description: 'Direct charge: created on this connected account (Stripe-Account)',
  })
  @IsOptional()
  @Matches(/^acct_\w+$/, { message: 'account must be a connected account id (acct_…)' })
  account?: string;

  @ApiPropertyOptional({ description: "The platform's fee, in minor units" })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(99_999_999)
  applicationFeeAmount?: number;

  @ApiPropertyOptional({
    description: 'Destination charges: the amount transferred instead of amount minus the fee',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(99_999_999)
  transferAmount?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^acct_\w+$/)
  onBehalfOf?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 255)
  transferGroup?: string;

  @ApiPropertyOptional({
    description: 'The Stripe customer paying (its saved card when paymentMethod is not given)',
  })
  @IsOptional()
  @Matches(/^cus_\w+$/)
  customer?: string;

  @ApiPropertyOptional({ enum: ['automatic', 'manual'], default: 'automatic' })
  @IsOptional()
  @IsIn(['automatic', 'manual'])
  captureMethod?: 'automatic' | 'manual';

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  description?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @IsObject()
  metadata?: Record<string, string>;
}

export class CaptureChargeDto {
  @ApiPropertyOptional({ description: 'Capture part of the authorised amount' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(99_999_999)
  amount?: number;
}

export class CreateRefundDto {
  @ApiPropertyOptional({ description: 'Default: what remains' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(99_999_999)
  amount?: number;

  @ApiPropertyOptional({
    description: 'Destination charges: pull the funds back from the connected account',
  })
  @IsOptional()
  @IsBoolean()
  reverseTransfer?: boolean;

  @ApiPropertyOptional({ description: 'Give back the application fee in proportion' })
  @IsOptional()
  @IsBoolean()
  refundApplicationFee?: boolean;

  @ApiPropertyOptional({ enum: ['duplicate', 'fraudulent', 'requested_by_customer'] })
  @IsOptional()
  @IsIn(['duplicate', 'fraudulent', 'requested_by_customer'])
  reason?: 'duplicate' | 'fraudulent' | 'requested_by_customer';
}

export class ChargeResponse {
  @ApiProperty({ example: 'pi_1…' }) id: string;
  @ApiProperty() livemode: boolean;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'The account of a direct charge',
  })
  accountId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) destinationAccountId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) customerId: string | null;
  @ApiProperty() amount: number;
  @ApiProperty() currency: string;
  @ApiProperty() status: string;
  @ApiProperty() captureMethod: string;
  @ApiProperty() amountCaptured: number;
  @ApiProperty() amountRefunded: number;
  @ApiPropertyOptional({ nullable: true, type: Number }) applicationFeeAmount: number | null;
  @ApiPropertyOptional({ nullable: true, type: String }) transferGroup: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) latestChargeId: string | null;
  @ApiProperty() disputed: boolean;
  @ApiPropertyOptional({ nullable: true, type: Object }) lastPaymentError: Record<
    string,
    unknown
  > | null;
}

export function toChargeResponse(charge: Charge): ChargeResponse {
  return {
    id: charge.id,
    livemode: charge.livemode,
    accountId: charge.accountId,
    destinationAccountId: charge.destinationAccountId,
    customerId: charge.customerId,
    amount: charge.amount,
    currency: charge.currency,
    status: charge.status,
    captureMethod: charge.captureMethod,
    amountCaptured: charge.amountCaptured,
    amountRefunded: charge.amountRefunded,
    applicationFeeAmount: charge.applicationFeeAmount,
    transferGroup: charge.transferGroup,
    latestChargeId: charge.latestChargeId,
    disputed: charge.disputed,
    lastPaymentError: charge.lastPaymentError,
  };
}

export class RefundResponse {
  @ApiProperty({ example: 're_1…' }) id: string;
  @ApiPropertyOptional({ nullable: true, type: String }) paymentIntentId: string | null;
  @ApiProperty() amount: number;
  @ApiProperty() currency: string;
  @ApiProperty() status: string;
  @ApiPropertyOptional({ nullable: true, type: String }) reason: string | null;
}

export function toRefundResponse(refund: Refund): RefundResponse {
  return {
    id: refund.id,
    paymentIntentId: refund.paymentIntentId,
    amount: refund.amount,
    currency: refund.currency,
    status: refund.status,
    reason: refund.reason,
  };
}
