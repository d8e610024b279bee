import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { QueueCounts, WebhookQueueHealth } from './webhook-queue-health.js';

export class QueueCountsResponse implements QueueCounts {
  @ApiProperty({ description: 'Jobs waiting to be claimed (new, or waiting for a retry)' })
  waiting: number;
  @ApiProperty({
    description: 'Of the waiting jobs, those that failed before and wait for a retry',
  })
  retrying: number;
  @ApiProperty({ description: 'Jobs a worker holds now' }) active: number;
  @ApiProperty({
    description: 'Active jobs past their expiry (their worker died); retried by pg-boss',
  })
  stuck: number;
  @ApiProperty({ description: 'Jobs that failed every retry (until archived)' }) failed: number;
  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    description: 'Seconds since the oldest waiting job was enqueued',
  })
  oldestWaitingSeconds: number | null;
}

export class WebhookQueuesResponse {
  @ApiProperty({
    type: QueueCountsResponse,
    description:
      'The sync: stored events on the work list (one job each), and retries of failed syncs',
  })
  events: QueueCountsResponse;
  @ApiProperty({ type: QueueCountsResponse, description: 'One job per (event, listener)' })
  listeners: QueueCountsResponse;
  @ApiProperty({
    description: 'Jobs of either queue that failed every retry, kept for an operator',
  })
  deadLettered: number;
}

export class WebhookQueueHealthResponse implements WebhookQueueHealth {
  @ApiProperty({ enum: ['inline', 'queued'] }) mode: 'inline' | 'queued';
  @ApiPropertyOptional({ nullable: true, type: WebhookQueuesResponse, description: 'Null inline' })
  queues: WebhookQueuesResponse | null;
}
