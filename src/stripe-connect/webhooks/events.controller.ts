import {
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  UseFilters,
  UseGuards,
  UsePipes,
} from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { platformOnly } from '../common/platform-only.js';
import { ConnectUser } from '../common/connect-user.decorator.js';
import { pageRequestOf } from '../common/cursor-page.js';
import { StripeConnectAuthGuard } from '../common/stripe-connect-auth.guard.js';
import { StripeConnectValidationPipe } from '../common/validation.js';
import { PlatformOnly } from '../common/route-access.decorator.js';
import { StripeConnectExceptionFilter } from '../common/stripe-connect-exception.filter.js';
import { StripeConnectError } from '../common/stripe-connect.errors.js';
import type { StripeConnectUser } from '../stripe-connect.options.js';
import {
  EventListQueryDto,
  EventListResponse,
  EventResponse,
  toEventResponse,
} from './dto/event.response.js';
import { EventLogRepository } from './event-log.repository.js';
import { WebhooksService } from './webhooks.service.js';

export class EventNotFoundError extends StripeConnectError {
  readonly status = 404;
  readonly code = 'event_not_found';
  constructor(id: string) {
    super(`No such stored event: ${id}`);
  }
}

/** The stored Stripe events, for the platform's back office: failed ones with their errors, replay one. */
@ApiTags('events')
@ApiBearerAuth()
@Controller('connect/events')
@PlatformOnly()
@UseGuards(StripeConnectAuthGuard)
@UsePipes(StripeConnectValidationPipe)
@UseFilters(StripeConnectExceptionFilter)
export class EventsController {
  constructor(
    private readonly log: EventLogRepository,
    private readonly webhooks: WebhooksService,
  ) {}

  @Get()
  @ApiOkResponse({ type: EventListResponse })
  async list(
    @ConnectUser() user: StripeConnectUser,
    @Query() query: EventListQueryDto,
  ): Promise<EventListResponse> {
    platformOnly(user);
    const page = await this.log.list({
      ...pageRequestOf(query),
      status: query.status,
      type: query.type,
      account: query.account,
    });
    return { object: 'list', data: page.data.map(toEventResponse), hasMore: page.hasMore };
  }

  @Get(':id')
  @ApiOkResponse({ type: EventResponse })
  @ApiNotFoundResponse({ description: 'No such stored event' })
  async get(
    @ConnectUser() user: StripeConnectUser,
    @Param('id') id: string,
  ): Promise<EventResponse> {
    platformOnly(user);
    const event = await this.log.find(id);
    if (!event) throw new EventNotFoundError(id);
    return toEventResponse(event);
  }

  /** Processes the stored event again (sync and listeners), whatever its status; idempotent. */
  @Post(':id/replay')
  @HttpCode(200)
  @ApiOkResponse({ type: EventResponse, description: 'The event after the replay' })
  @ApiNotFoundResponse({ description: 'No such stored event' })
  async replay(
    @ConnectUser() user: StripeConnectUser,
    @Param('id') id: string,
  ): Promise<EventResponse> {
    platformOnly(user);
    if (!(await this.log.find(id))) throw new EventNotFoundError(id);
    await this.webhooks.replay({ id });
    return toEventResponse((await this.log.find(id))!);
  }
}
