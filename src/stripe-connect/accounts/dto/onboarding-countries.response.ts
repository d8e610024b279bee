import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type {
  BusinessType,
  CountrySummary,
  InitialFieldType,
  InitialFormDescription,
  InitialFormField,
} from '../initial-form.js';

class FieldOptionResponse {
  @ApiProperty() value: string;
  @ApiProperty() label: string;
}

export class CountrySummaryResponse implements CountrySummary {
  @ApiProperty({ example: 'DE' }) country: string;
  @ApiProperty({ example: 'Germany' }) name: string;
  @ApiProperty({ type: [String], example: ['eur'] }) currencies: string[];
  @ApiProperty({ example: 'eur' }) defaultCurrency: string;
  @ApiProperty({ enum: ['individual', 'company'], isArray: true }) businessTypes: BusinessType[];
}

export class InitialFormFieldResponse implements InitialFormField {
  @ApiProperty({
    example: 'individual.address.postalCode',
    description: 'The dotted path of the value in the request body, and the key of its errors',
  })
  name: string;
  @ApiProperty({ enum: ['text', 'email', 'tel', 'url', 'date', 'select', 'boolean'] })
  type: InitialFieldType;
  @ApiProperty() label: string;
  @ApiProperty() required: boolean;
  @ApiProperty({ enum: ['business', 'person', 'representative', 'bank', 'profile', 'terms'] })
  group: InitialFormField['group'];
  @ApiPropertyOptional() hint?: string;
  @ApiPropertyOptional() example?: string;
  @ApiPropertyOptional({ description: 'A JavaScript regular expression the whole value matches' })
  pattern?: string;
  @ApiPropertyOptional({ example: 'i' }) patternFlags?: string;
  @ApiPropertyOptional() maxLength?: number;
  @ApiPropertyOptional({ type: [FieldOptionResponse] }) options?: FieldOptionResponse[];
  @ApiPropertyOptional({
    enum: ['day-month-year'],
    description: 'A date posted as `{ day, month, year }`',
  })
  format?: 'day-month-year';
  @ApiPropertyOptional({ description: 'A secret the library never logs or stores' })
  sensitive?: boolean;
}

export class InitialFormDescriptionResponse
  extends CountrySummaryResponse
  implements InitialFormDescription
{
  @ApiProperty({ enum: ['individual', 'company'] }) businessType: BusinessType;
  @ApiProperty({ example: '/connect/accounts/custom' }) action: string;
  @ApiProperty({ type: [InitialFormFieldResponse] }) fields: InitialFormFieldResponse[];
}
