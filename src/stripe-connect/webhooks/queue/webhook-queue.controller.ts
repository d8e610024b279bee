import { Controller, Get, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ConnectUser } from '../../common/connect-user.decorator.js';
import { platformOnly } from '../../common/platform-only.js';
import { PlatformOnly } from '../../common/route-access.decorator.js';
import { StripeConnectAuthGuard } from '../../common/stripe-connect-auth.guard.js';
import { StripeConnectExceptionFilter } from '../../common/stripe-connect-exception.filter.js';
import type { StripeConnectUser } from '../../stripe-connect.options.js';
import { WebhookQueueHealthResponse } from './webhook-queue-health.response.js';
import { WebhookQueueService } from './webhook-queue.service.js';

/** The health of queued mode's queues, for the platform's back office and monitoring. */
@ApiTags('events')
@ApiBearerAuth()
@Controller('connect/webhook-queue')
@PlatformOnly()
@UseGuards(StripeConnectAuthGuard)
@UseFilters(StripeConnectExceptionFilter)
export class WebhookQueueController {
  constructor(private readonly queue: WebhookQueueService) {}

  @Get()
  @ApiOperation({
    summary:
      'Jobs waiting, active, stuck, failed and dead-lettered, and the oldest waiting job’s age',
  })
  @ApiOkResponse({ type: WebhookQueueHealthResponse })
  health(@ConnectUser() user: StripeConnectUser): Promise<WebhookQueueHealthResponse> {
    platformOnly(user);
    return this.queue.queueHealth();
  }
}
