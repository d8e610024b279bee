import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  Equals,
  IsDefined,
  IsEmail,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { SUPPORTED_COUNTRIES } from '../country-rules.js';
import { IsStripeCurrency } from '../../stripe/is-stripe-currency.decorator.js';

export class AddressInput {
  @ApiProperty({ example: 'address_full_match' })
  @IsString()
  @Length(1, 200)
  line1: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 200)
  line2?: string;

  @ApiProperty({ example: 'San Francisco' })
  @IsString()
  @Length(1, 100)
  city: string;

  @ApiPropertyOptional({
    example: 'CA',
    description: 'Required where the country has states or provinces',
  })
  @IsOptional()
  @IsString()
  state?: string;

  @ApiProperty({ example: '94103' })
  @IsString()
  @Length(1, 20)
  postalCode: string;
}

export class DateOfBirthInput {
  @ApiProperty({ example: 1 })
  @IsInt()
  @Min(1)
  @Max(31)
  day: number;

  @ApiProperty({ example: 1 })
  @IsInt()
  @Min(1)
  @Max(12)
  month: number;

  @ApiProperty({ example: 1901 })
  @IsInt()
  @Min(1900)
  year: number;
}

/** A natural person: the individual of an individual account, or a company's representative. */
export class PersonInput {
  @ApiProperty({ example: 'Jane' })
  @IsString()
  @Length(1, 100)
  firstName: string;

  @ApiProperty({ example: 'Doe' })
  @IsString()
  @Length(1, 100)
  lastName: string;

  @ApiProperty({ example: 'jane@example.com' })
  @IsEmail()
  email: string;

  @ApiProperty({ example: '+14155550123' })
  @Matches(/^\+?[\d\s().-]{7,20}$/, { message: 'phone must be a phone number' })
  phone: string;

  @ApiProperty({ type: DateOfBirthInput })
  @IsDefined({ message: 'dob is required' })
  @IsObject()
  @ValidateNested()
  @Type(() => DateOfBirthInput)
  dob: DateOfBirthInput;

  @ApiProperty({ type: AddressInput })
  @IsDefined({ message: 'address is required' })
  @IsObject()
  @ValidateNested()
  @Type(() => AddressInput)
  address: AddressInput;

  @ApiPropertyOptional({
    description: 'The full national id number (US SSN, CA SIN). Never stored or logged.',
  })
  @IsOptional()
  @IsString()
  idNumber?: string;

  @ApiPropertyOptional({
    description: 'US only: the last 4 digits of the SSN, instead of the full number.',
  })
  @IsOptional()
  @Matches(/^\d{4}$/, { message: 'ssnLast4 must be 4 digits' })
  ssnLast4?: string;
}

export class RepresentativeInput extends PersonInput {
  @ApiPropertyOptional({ example: 'CEO' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  title?: string;
}

export class CompanyInput {
  @ApiProperty({ example: 'Acme Inc.' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ example: '000000000', description: 'Tax id (US EIN). Never stored or logged.' })
  @IsString()
  @Length(1, 40)
  taxId: string;

  @ApiProperty({ example: '+14155550123' })
  @Matches(/^\+?[\d\s().-]{7,20}$/, { message: 'phone must be a phone number' })
  phone: string;

  @ApiProperty({ type: AddressInput })
  @IsDefined({ message: 'address is required' })
  @IsObject()
  @ValidateNested()
  @Type(() => AddressInput)
  address: AddressInput;

  @ApiProperty({ type: RepresentativeInput })
  @IsDefined({ message: 'representative is required' })
  @IsObject()
  @ValidateNested()
  @Type(() => RepresentativeInput)
  representative: RepresentativeInput;
}

/**
 * The bank account payouts go to. Which fields are needed depends on the country: US `routingNumber` and
 * `accountNumber`; CA `transitNumber`, `institutionNumber` and `accountNumber`; GB `sortCode` and
 * `accountNumber`; AU `bsb` and `accountNumber`; SEPA countries `iban`.
 */
export class BankAccountInput {
  @ApiProperty({ example: 'Jane Doe' })
  @IsString()
  @Length(1, 200)
  accountHolderName: string;

  @ApiPropertyOptional({ enum: ['individual', 'company'] })
  @IsOptional()
  @IsIn(['individual', 'company'])
  accountHolderType?: 'individual' | 'company';

  @ApiPropertyOptional({ example: '110000000' })
  @IsOptional()
  @IsString()
  routingNumber?: string;

  @ApiPropertyOptional({ example: '11000' })
  @IsOptional()
  @IsString()
  transitNumber?: string;

  @ApiPropertyOptional({ example: '000' })
  @IsOptional()
  @IsString()
  institutionNumber?: string;

  @ApiPropertyOptional({ example: '108800' })
  @IsOptional()
  @IsString()
  sortCode?: string;

  @ApiPropertyOptional({ example: '110000' })
  @IsOptional()
  @IsString()
  bsb?: string;

  @ApiPropertyOptional({
    example: '000123456789',
    description: 'Never stored or logged; only its last 4 digits are kept.',
  })
  @IsOptional()
  @IsString()
  accountNumber?: string;

  @ApiPropertyOptional({ example: 'DE89370400440532013000' })
  @IsOptional()
  @IsString()
  iban?: string;
}

export class BusinessProfileInput {
  @ApiPropertyOptional({ example: '5734', description: 'Merchant category code' })
  @IsOptional()
  @Matches(/^\d{4}$/, { message: 'mcc must be 4 digits' })
  mcc?: string;

  @ApiPropertyOptional({ example: 'https://accessible.stripe.com' })
  @IsOptional()
  @IsUrl({ require_protocol: true }, { message: 'url must be a URL with its protocol' })
  url?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 500)
  productDescription?: string;
}

/** The initial onboarding form of a custom account (pinax-stripe's `InitialCustomAccountForm`). */
export class InitialCustomAccountDto {
  @ApiProperty({ enum: SUPPORTED_COUNTRIES, example: 'US' })
  @IsIn(SUPPORTED_COUNTRIES)
  country: string;

  @ApiProperty({ enum: ['individual', 'company'] })
  @IsIn(['individual', 'company'])
  businessType: 'individual' | 'company';

  @ApiPropertyOptional({
    type: PersonInput,
    description: 'Required when businessType is individual',
  })
  @ValidateIf((form: InitialCustomAccountDto) => form.businessType === 'individual')
  @IsDefined({ message: 'individual is required when businessType is individual' })
  @IsObject()
  @ValidateNested()
  @Type(() => PersonInput)
  individual?: PersonInput;

  @ApiPropertyOptional({ type: CompanyInput, description: 'Required when businessType is company' })
  @ValidateIf((form: InitialCustomAccountDto) => form.businessType === 'company')
  @IsDefined({ message: 'company is required when businessType is company' })
  @IsObject()
  @ValidateNested()
  @Type(() => CompanyInput)
  company?: CompanyInput;

  @ApiProperty({ type: BankAccountInput })
  @IsDefined({ message: 'bankAccount is required' })
  @IsObject()
  @ValidateNested()
  @Type(() => BankAccountInput)
  bankAccount: BankAccountInput;

  @ApiPropertyOptional({
    example: 'usd',
    description: "The account's currency; default the country's first",
  })
  @IsOptional()
  @IsStripeCurrency()
  currency?: string;

  @ApiPropertyOptional({ type: BusinessProfileInput })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => BusinessProfileInput)
  businessProfile?: BusinessProfileInput;

  @ApiPropertyOptional({ example: 'seller@example.com' })
  @IsOptional()
  @IsEmail()
  email?: string;

  @ApiProperty({
    example: true,
    description: "The user accepts Stripe's Connected Account Agreement",
  })
  @Equals(true, { message: 'tosAccepted must be true: the terms must be accepted' })
  tosAccepted: boolean;
}
