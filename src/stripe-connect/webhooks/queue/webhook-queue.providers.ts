import type { Provider } from '@nestjs/common';
import { QueueHealthRepository } from './queue-health.repository.js';
import { QueuedEventsRepository } from './queued-events.repository.js';
import { QueuedIngestService } from './queued-ingest.service.js';
import { QueuedListenersProcessor } from './queued-listeners.processor.js';
import { QueuedSyncProcessor } from './queued-sync.processor.js';
import { StripeListenersRegistry } from './stripe-listeners.registry.js';
import { WebhookQueueService } from './webhook-queue.service.js';

/** Queued mode's providers (idle in inline mode: nothing starts, pg-boss is not loaded). */
export const webhookQueueProviders: Provider[] = [
  QueuedEventsRepository,
  QueueHealthRepository,
  QueuedIngestService,
  QueuedSyncProcessor,
  QueuedListenersProcessor,
  StripeListenersRegistry,
  WebhookQueueService,
];
