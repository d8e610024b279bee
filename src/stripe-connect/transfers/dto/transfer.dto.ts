import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
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
import type { Payout } from '../payout.entity.js';
import type { TransferReversal } from '../transfer-reversal.entity.js';
import type { Transfer } from '../transfer.entity.js';
import { IsStripeCurrency } from '../../stripe/is-stripe-currency.decorator.js';

export class CreateTransferDto {
  @ApiProperty({ example: 1500 }) @IsInt() @Min(1) @Max(99_999_999) amount: number;
  @ApiProperty({ example: 'usd' })
  @IsStripeCurrency()
  currency: string;
  @ApiProperty({ example: 'acct_1…' })
  @Matches(/^acct_\w+$/, { message: 'destination must be a connected account id (acct_…)' })
  destination: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 255) transferGroup?: string;
  @ApiPropertyOptional({ description: 'The charge the transfer draws on (ch_…)' })
  @IsOptional()
  @Matches(/^(ch|py)_\w+$/)
  sourceTransaction?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 1000) description?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @IsObject()
  metadata?: Record<string, string>;
}

export class CreateReversalDto {
  @ApiPropertyOptional({ description: 'Default: what remains' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(99_999_999)
  amount?: number;
}

export class CreatePayoutDto {
  @ApiProperty({ example: 500 }) @IsInt() @Min(1) @Max(99_999_999) amount: number;
  @ApiProperty({ example: 'usd' })
  @IsStripeCurrency()
  currency: string;
  @ApiPropertyOptional({
    description: 'The external account (ba_…); default: the default one for the currency',
  })
  @IsOptional()
  @Matches(/^(ba|card)_\w+$/)
  destination?: string;
  @ApiPropertyOptional({ enum: ['standard', 'instant'], default: 'standard' })
  @IsOptional()
  @IsIn(['standard', 'instant'])
  method?: 'standard' | 'instant';
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 22) statementDescriptor?: string;
}

export class TransferResponse {
  @ApiProperty() id: string;
  @ApiProperty() destinationAccountId: string;
  @ApiProperty() amount: number;
  @ApiProperty() amountReversed: number;
  @ApiProperty() currency: string;
  @ApiProperty() reversed: boolean;
  @ApiPropertyOptional({ nullable: true, type: String }) transferGroup: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) sourceTransaction: string | null;
}

export function toTransferResponse(transfer: Transfer): TransferResponse {
  return {
    id: transfer.id,
    destinationAccountId: transfer.destinationAccountId,
    amount: transfer.amount,
    amountReversed: transfer.amountReversed,
    currency: transfer.currency,
    reversed: transfer.reversed,
    transferGroup: transfer.transferGroup,
    sourceTransaction: transfer.sourceTransaction,
  };
}

export class ReversalResponse {
  @ApiProperty() id: string;
  @ApiProperty() transferId: string;
  @ApiProperty() amount: number;
  @ApiProperty() currency: string;
}

export function toReversalResponse(reversal: TransferReversal): ReversalResponse {
  return {
    id: reversal.id,
    transferId: reversal.transferId,
    amount: reversal.amount,
    currency: reversal.currency,
  };
}

export class PayoutResponse {
  @ApiProperty() id: string;
  @ApiPropertyOptional({ nullable: true, type: String }) accountId: string | null;
  @ApiProperty() amount: number;
  @ApiProperty() currency: string;
  @ApiProperty({ enum: ['pending', 'in_transit', 'paid', 'failed', 'canceled'] }) status: string;
  @ApiPropertyOptional({ nullable: true, type: String }) failureCode: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) failureMessage: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' }) arrivalDate:
    string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) destinationId: string | null;
  @ApiProperty() method: string;
}

export function toPayoutResponse(payout: Payout): PayoutResponse {
  return {
    id: payout.id,
    accountId: payout.accountId,
    amount: payout.amount,
    currency: payout.currency,
    status: payout.status,
    failureCode: payout.failureCode,
    failureMessage: payout.failureMessage,
    arrivalDate: payout.arrivalDate?.toISOString() ?? null,
    destinationId: payout.destinationId,
    method: payout.method,
  };
}

class BalanceAmount {
  @ApiProperty() amount: number;
  @ApiProperty() currency: string;
}

export class BalanceResponse {
  @ApiProperty({ type: [BalanceAmount] }) available: BalanceAmount[];
  @ApiProperty({ type: [BalanceAmount] }) pending: BalanceAmount[];
}
