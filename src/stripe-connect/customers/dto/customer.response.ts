import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Length } from 'class-validator';
import type { Customer } from '../customer.entity.js';

export class CreateConnectedCustomerDto {
  @ApiPropertyOptional({ example: 'buyer@example.com' })
  @IsOptional()
  @IsEmail()
  email?: string;

  @ApiPropertyOptional({ example: 'Bea Buyer' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;
}

export class CustomerResponse {
  @ApiProperty({ example: 'cus_1…' }) id: string;
  @ApiProperty() livemode: boolean;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'The connected account it lives on; null on the platform',
  })
  accountId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) email: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) name: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export function toCustomerResponse(customer: Customer): CustomerResponse {
  const name = (customer.raw as { name?: unknown }).name;
  return {
    id: customer.id,
    livemode: customer.livemode,
    accountId: customer.accountId,
    email: customer.email,
    name: typeof name === 'string' ? name : null,
    createdAt: customer.createdAt.toISOString(),
  };
}
