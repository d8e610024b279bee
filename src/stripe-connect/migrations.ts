import type { MigrationInterface } from 'typeorm';
import { Initial1795840076326 } from './migrations/1795840076326-initial.js';
import { WebhookProcessing1795841840960 } from './migrations/1795841840960-webhook-processing.js';
import { UsedStates1795843867596 } from './migrations/1795843867596-used-states.js';
import { MirrorOrdering1796000000001 } from './migrations/1796000000001-mirror-ordering.js';
import { SyncCursors1796200000001 } from './migrations/1796200000001-sync-cursors.js';
import { QueuedListeners1797100000001 } from './migrations/1797100000001-queued-listeners.js';
import { CustomerDefaultCard1797300000001 } from './migrations/1797300000001-customer-default-card.js';
import { RateLimits1797400000001 } from './migrations/1797400000001-rate-limits.js';
import { QueuedWorkList1797600000001 } from './migrations/1797600000001-queued-work-list.js';

/** Every migration of the library, oldest first: add them to a host's own DataSource. */
export const stripeConnectMigrations: (new () => MigrationInterface)[] = [
  Initial1795840076326,
  WebhookProcessing1795841840960,
  UsedStates1795843867596,
  MirrorOrdering1796000000001,
  SyncCursors1796200000001,
  QueuedListeners1797100000001,
  CustomerDefaultCard1797300000001,
  RateLimits1797400000001,
  QueuedWorkList1797600000001,
];
