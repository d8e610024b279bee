import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Length, Matches } from 'class-validator';
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

const PAYMENT_METHOD = /^pm_\w{1,250}$/;

/** `POST /connect/customers`: the caller's platform customer, with an optional card to save. */
export class CreatePlatformCustomerDto extends CreateConnectedCustomerDto {
  @ApiPropertyOptional({
    example: 'pm_card_visa',
    description:
      "A PaymentMethod to save as the customer's default card (a test one such as pm_card_visa is copied into a new pm_… by Stripe)",
  })
  @IsOptional()
  @Matches(PAYMENT_METHOD, { message: 'paymentMethod must be a PaymentMethod id (pm_…)' })
  paymentMethod?: string;
}

/** `PUT /connect/customers/me/payment-method`: the card to save (replacing the saved one). */
export class SaveCardDto {
  @ApiProperty({ example: 'pm_card_visa' })
  @IsString()
  @Matches(PAYMENT_METHOD, { message: 'paymentMethod must be a PaymentMethod id (pm_…)' })
  paymentMethod: string;
}

class SavedCardResponse {
  @ApiProperty({ example: 'visa' }) brand: string;
  @ApiProperty({ example: '4242' }) last4: string;
  @ApiProperty({ example: 12 }) expMonth: number;
  @ApiProperty({ example: 2034 }) expYear: number;
}

export class DefaultPaymentMethodResponse {
  @ApiProperty({ example: 'pm_1…' }) id: string;
  @ApiPropertyOptional({
    nullable: true,
    type: SavedCardResponse,
    description: 'The card, when the mirror has seen it with this payment method',
  })
  card: SavedCardResponse | null;
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
  @ApiPropertyOptional({
    nullable: true,
    type: DefaultPaymentMethodResponse,
    description: 'The saved card charged when a charge names none',
  })
  defaultPaymentMethod: DefaultPaymentMethodResponse | null;
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
    defaultPaymentMethod: customer.defaultPaymentMethodId
      ? {
          id: customer.defaultPaymentMethodId,
          card:
            customer.defaultCard?.id === customer.defaultPaymentMethodId
              ? {
                  brand: customer.defaultCard.brand,
                  last4: customer.defaultCard.last4,
                  expMonth: customer.defaultCard.expMonth,
                  expYear: customer.defaultCard.expYear,
                }
              : null,
        }
      : null,
    createdAt: customer.createdAt.toISOString(),
  };
}
