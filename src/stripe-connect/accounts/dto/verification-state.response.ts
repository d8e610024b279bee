import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { FieldType } from '../verification-form.js';
import type { VerificationState } from '../verification.service.js';

class FieldOption {
  @ApiProperty() value: string;
  @ApiProperty() label: string;
}

export class FormFieldResponse {
  @ApiProperty({ example: 'individual.id_number', description: 'The key to post the value under' })
  name: string;
  @ApiProperty({ type: [String], description: 'The Stripe requirement paths the field satisfies' })
  requirements: string[];
  @ApiProperty({ enum: ['text', 'email', 'tel', 'url', 'date', 'select', 'boolean', 'file'] })
  type: FieldType;
  @ApiProperty() label: string;
  @ApiProperty() required: boolean;
  @ApiPropertyOptional({ type: [FieldOption] }) options?: FieldOption[];
  @ApiPropertyOptional() accept?: string;
  @ApiPropertyOptional() maxBytes?: number;
  @ApiPropertyOptional() pattern?: string;
  @ApiPropertyOptional({ description: 'Which other field may be given instead' }) hint?: string;
  @ApiPropertyOptional({
    example: 'owners',
    description:
      'The person the field belongs to: a role to add (`representative`, `owners`, `directors`, `executives`; one new person, all of its required fields or none) or a known person (`person_…`)',
  })
  section?: string;
  @ApiPropertyOptional({ example: 'An owner of the company (25% or more)' }) sectionLabel?: string;
}

class RequirementAlternativeResponse {
  @ApiProperty({ type: [String], example: ['individual.id_number'] }) originalFieldsDue: string[];
  @ApiProperty({ type: [String], example: ['individual.verification.document'] })
  alternativeFieldsDue: string[];
}

class RequirementErrorResponse {
  @ApiProperty() requirement: string;
  @ApiProperty() code: string;
  @ApiProperty() message: string;
}

export class VerificationStateResponse implements VerificationState {
  @ApiProperty() accountId: string;
  @ApiProperty({ enum: ['platform', 'stripe'] }) collectedBy: 'platform' | 'stripe';
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' }) dueBy: string | null;
  @ApiProperty({ type: [String] }) currentlyDue: string[];
  @ApiProperty({ type: [String] }) pastDue: string[];
  @ApiProperty({ type: [String] }) eventuallyDue: string[];
  @ApiProperty({ type: [String] }) pendingVerification: string[];
  @ApiPropertyOptional({ nullable: true, type: String }) disabledReason: string | null;
  @ApiProperty({ type: [RequirementErrorResponse] }) errors: RequirementErrorResponse[];
  @ApiProperty({ type: [RequirementAlternativeResponse] })
  alternatives: RequirementAlternativeResponse[];
  @ApiProperty({ type: [FormFieldResponse] }) fields: FormFieldResponse[];
}
