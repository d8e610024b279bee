import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ListQueryDto } from '../../common/list-query.dto.js';
import type { StripeEvent } from '../stripe-event.entity.js';

export class EventListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: ['pending', 'processed', 'failed'] })
  @IsOptional()
  @IsIn(['pending', 'processed', 'failed'])
  status?: 'pending' | 'processed' | 'failed';

  @ApiPropertyOptional({ example: 'account.updated' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  type?: string;

  @ApiPropertyOptional({ example: 'acct_1…' })
  @IsOptional()
  @Matches(/^acct_\w+$/, { message: 'account must be a connected account id (acct_…)' })
  account?: string;
}

export class EventErrorResponse {
  @ApiProperty() attempt: number;
  @ApiProperty() message: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class EventResponse {
  @ApiProperty({ example: 'evt_1…' }) id: string;
  @ApiProperty({ example: 'account.updated' }) type: string;
  @ApiPropertyOptional({ nullable: true, type: String }) accountId: string | null;
  @ApiProperty() livemode: boolean;
  @ApiProperty({ enum: ['pending', 'processed', 'failed'] }) status: string;
  @ApiProperty() attempts: number;
  @ApiPropertyOptional({ nullable: true, type: String }) lastError: string | null;
  @ApiProperty({ type: [EventErrorResponse], description: 'Each failed attempt, oldest first' })
  errors: EventErrorResponse[];
  @ApiProperty({ format: 'date-time', description: 'Stripe’s `created`' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) receivedAt: string;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' })
  processedAt: string | null;
}

export class EventListResponse {
  @ApiProperty({ enum: ['list'] }) object: 'list';
  @ApiProperty({ type: [EventResponse] }) data: EventResponse[];
  @ApiProperty() hasMore: boolean;
}

/** The stored event without its payload (ids and status only: payloads may carry personal data). */
export function toEventResponse(event: StripeEvent): EventResponse {
  return {
    id: event.id,
    type: event.type,
    accountId: event.accountId,
    livemode: event.livemode,
    status: event.status,
    attempts: event.attempts,
    lastError: event.lastError,
    errors: (event.errors ?? []).map((e) => ({
      attempt: e.attempt,
      message: e.message,
      createdAt: e.createdAt.toISOString(),
    })),
    createdAt: event.stripeCreatedAt.toISOString(),
    receivedAt: event.receivedAt.toISOString(),
    processedAt: event.processedAt?.toISOString() ?? null,
  };
}
