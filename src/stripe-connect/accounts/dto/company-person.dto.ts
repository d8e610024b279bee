import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import type { Person } from '../person.entity.js';
import { PersonInput } from './initial-custom-account.dto.js';

export class PersonRelationshipInput {
  @ApiPropertyOptional({ description: 'The person who manages the account (one per account)' })
  @IsOptional()
  @IsBoolean()
  representative?: boolean;

  @ApiPropertyOptional({ description: 'Owns 25% or more of the company' })
  @IsOptional()
  @IsBoolean()
  owner?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  director?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  executive?: boolean;

  @ApiPropertyOptional({ example: 'CFO' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  title?: string;

  @ApiPropertyOptional({ example: 40, description: 'Percent of the company owned (0 to 100)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  percentOwnership?: number;
}

/** A company's representative, owner, director or executive, in the fields of the account's country. */
export class CreatePersonDto extends PersonInput {
  @ApiProperty({ type: PersonRelationshipInput })
  @IsDefined({ message: 'relationship is required' })
  @ValidateNested()
  @Type(() => PersonRelationshipInput)
  relationship: PersonRelationshipInput;
}

export class PersonResponse {
  @ApiProperty({ example: 'person_1…' }) id: string;
  @ApiProperty() livemode: boolean;
  @ApiProperty() accountId: string;
  @ApiPropertyOptional({ nullable: true, type: String }) firstName: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) lastName: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { representative: true, owner: false, title: 'CEO' },
  })
  relationship: Record<string, unknown>;
  @ApiPropertyOptional({ nullable: true, type: String }) verificationStatus: string | null;
  @ApiProperty({ type: [String], description: 'What Stripe still needs of this person' })
  currentlyDue: string[];
}

/** No email, date of birth, address or id number: only what a back office lists. */
export function toPersonResponse(person: Person): PersonResponse {
  const due = (person.requirements as { currently_due?: unknown }).currently_due;
  return {
    id: person.id,
    livemode: person.livemode,
    accountId: person.accountId,
    firstName: person.firstName,
    lastName: person.lastName,
    relationship: person.relationship,
    verificationStatus: person.verificationStatus,
    currentlyDue: Array.isArray(due) ? due.filter((d): d is string => typeof d === 'string') : [],
  };
}
