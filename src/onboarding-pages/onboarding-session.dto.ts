import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class OnboardingSessionDto {
  @ApiProperty({ description: 'The one-time login token of an `onboarding-url` link' })
  @IsString()
  @Length(1, 4096)
  token: string;
}

export class OnboardingSessionResponse {
  @ApiProperty({ description: 'A bearer token for the REST routes; a secret' }) token: string;
  @ApiProperty() userId: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
}
