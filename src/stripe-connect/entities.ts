import { Account } from './accounts/account.entity.js';
import { ExternalAccount } from './accounts/external-account.entity.js';
import { Person } from './accounts/person.entity.js';
import { SyncCursor } from './accounts/sync-cursor.entity.js';
import { UsedState } from './accounts/used-state.entity.js';
import { RateLimit } from './common/rate-limit.entity.js';
import { ApplicationFee } from './charges/application-fee.entity.js';
import { Charge } from './charges/charge.entity.js';
import { Refund } from './charges/refund.entity.js';
import { Customer } from './customers/customer.entity.js';
import { UserAccount } from './customers/user-account.entity.js';
import { Payout } from './transfers/payout.entity.js';
import { TransferReversal } from './transfers/transfer-reversal.entity.js';
import { Transfer } from './transfers/transfer.entity.js';
import { EventProcessingError } from './webhooks/event-processing-error.entity.js';
import { StripeEvent } from './webhooks/stripe-event.entity.js';

/** Every entity of the library: add them to a host's own DataSource. */
export const stripeConnectEntities = [
  Account,
  ExternalAccount,
  Person,
  Customer,
  UserAccount,
  Charge,
  Refund,
  ApplicationFee,
  Transfer,
  TransferReversal,
  Payout,
  StripeEvent,
  EventProcessingError,
  UsedState,
  SyncCursor,
  RateLimit,
];
