import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

/** Unix seconds or an ISO 8601 date-time. */
const TIME = /^(\d{1,12}|\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?)$/;

/**
 * The query of every back-office list, cursor-paginated like Stripe's lists: newest first, `limit` (1 to 100,
 * default 10), `startingAfter` (the last id of the previous page), and the time window `createdFrom`
 * (inclusive) / `createdTo` (exclusive), each unix seconds or ISO 8601, over the time the row was recorded.
 */
export class ListQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 10 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'The last id of the previous page: the page after it' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  startingAfter?: string;

  @ApiPropertyOptional({ description: 'Recorded at or after (unix seconds or ISO 8601)' })
  @IsOptional()
  @Matches(TIME, { message: 'createdFrom must be unix seconds or an ISO 8601 date-time' })
  createdFrom?: string;

  @ApiPropertyOptional({ description: 'Recorded before (unix seconds or ISO 8601)' })
  @IsOptional()
  @Matches(TIME, { message: 'createdTo must be unix seconds or an ISO 8601 date-time' })
  createdTo?: string;
}
