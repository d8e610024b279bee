import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsObject, IsOptional, ValidateNested } from 'class-validator';
import { BankAccountInput } from './initial-custom-account.dto.js';
import { IsStripeCurrency } from '../../stripe/is-stripe-currency.decorator.js';

/** A bank account added to a custom account, in the fields of its country. */
export class AddExternalAccountDto {
  @ApiProperty({ type: BankAccountInput })
  @IsDefined({ message: 'bankAccount is required' })
  @IsObject()
  @ValidateNested()
  @Type(() => BankAccountInput)
  bankAccount: BankAccountInput;

  @ApiPropertyOptional({ example: 'usd', description: "Default: the account's default currency" })
  @IsOptional()
  @IsStripeCurrency()
  currency?: string;

  @ApiPropertyOptional({ description: 'Make it the payout destination for its currency' })
  @IsOptional()
  @IsBoolean()
  defaultForCurrency?: boolean;
}

export class DeletedExternalAccountResponse {
  @ApiProperty({ example: 'ba_1…' }) id: string;
  @ApiProperty({ enum: [true] }) deleted: true;
}
