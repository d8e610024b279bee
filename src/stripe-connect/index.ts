/** The public API of nest-stripe-connect. Nothing outside this file is public. */
export { StripeConnectModule } from './stripe-connect.module.js';
export {
  MODULE_OPTIONS_TOKEN as STRIPE_CONNECT_MODULE_OPTIONS,
  type StripeConnectModuleExtras,
} from './stripe-connect.module-definition.js';
export type {
  ResolvedStripeConnectOptions,
  StripeConnectModuleOptions,
  StripeConnectUser,
} from './stripe-connect.options.js';
export type { WebhookProcessingOptions } from './webhooks/queue/webhook-processing.options.js';
export { WebhookQueueService } from './webhooks/queue/webhook-queue.service.js';
export type { QueueCounts, WebhookQueueHealth } from './webhooks/queue/webhook-queue-health.js';
export { userFromJwtClaims } from './stripe-connect.options-resolver.js';
export { STRIPE_CLIENT, STRIPE_CONNECT_OPTIONS } from './stripe-connect.constants.js';
export { InjectStripeClient } from './stripe/inject-stripe-client.decorator.js';
export { ConnectUser } from './common/connect-user.decorator.js';
export { StripeConnectAuthGuard } from './common/stripe-connect-auth.guard.js';
export { AccountOwnerOnly, PlatformOnly } from './common/route-access.decorator.js';
export { StripeConnectThrottlerGuard } from './common/stripe-connect-throttler.guard.js';
export { StripeConnectEdgeFilter } from './common/stripe-connect-edge.filter.js';
export { storableText } from './common/postgres-text.js';
export { IsStripeCurrency } from './stripe/is-stripe-currency.decorator.js';
export {
  StripeConnectPublic,
  isStripeConnectPublicRoute,
} from './common/stripe-connect-public.decorator.js';
export {
  createStripeConnectValidationPipe,
  StripeConnectValidationPipe,
  fieldErrorsOf,
  validationFailed,
  type FieldErrors,
} from './common/validation.js';
export { StripeConnectExceptionFilter } from './common/stripe-connect-exception.filter.js';
export {
  InvalidWebhookPayloadError,
  StripeConnectConfigError,
  StripeConnectError,
  StripeUnavailableError,
  WebhookSignatureError,
  type WebhookRejectionReason,
} from './common/stripe-connect.errors.js';
export {
  OnStripeEvent,
  STRIPE_EVENT_PREFIX,
  type StripeConnectEvent,
  type StripeEventOf,
  type StripeEventPattern,
} from './webhooks/on-stripe-event.decorator.js';
export {
  WebhooksService,
  type EventOutcome,
  type WebhookEndpointKind,
} from './webhooks/webhooks.service.js';
export type { EventReplayFilter } from './webhooks/stripe-events.repository.js';
export { EventLogRepository, type EventLogFilter } from './webhooks/event-log.repository.js';
export { EventBatchProcessor, type ClaimedEvent } from './webhooks/event-batch.processor.js';
export {
  EventErrorResponse,
  EventListQueryDto,
  EventListResponse,
  EventResponse,
  toEventResponse,
} from './webhooks/dto/event.response.js';
export {
  AccountsSyncService,
  type AccountsSyncOptions,
  type AccountsSyncSummary,
} from './accounts/accounts-sync.service.js';
export { SyncCursor } from './accounts/sync-cursor.entity.js';
export { PersonsService, PersonNotFoundError } from './accounts/persons.service.js';
export {
  CreatePersonDto,
  PersonRelationshipInput,
  PersonResponse,
  toPersonResponse,
} from './accounts/dto/company-person.dto.js';
export { ListQueryDto } from './common/list-query.dto.js';
export { ChargesRepository } from './charges/charges.repository.js';
export {
  ApplicationFeeListQueryDto,
  ApplicationFeeListResponse,
  ApplicationFeeResponse,
  ChargeListQueryDto,
  ChargeListResponse,
  RefundListQueryDto,
  RefundListResponse,
  toApplicationFeeResponse,
} from './charges/dto/charge-list.dto.js';
export { TransfersRepository } from './transfers/transfers.repository.js';
export {
  PayoutListQueryDto,
  PayoutListResponse,
  TransferListQueryDto,
  TransferListResponse,
} from './transfers/dto/transfer-list.dto.js';
export { CustomersRepository } from './customers/customers.repository.js';
export { CustomerListQueryDto, CustomerListResponse } from './customers/dto/customer-list.dto.js';
export type { Page, PageRequest } from './common/cursor-page.js';
export { MirrorService, type ApplyOptions, type DatedOp } from './webhooks/mirror.service.js';
export type { MirrorFamily, MirrorOp } from './webhooks/mirror-op.js';
export type { ExternalAccountList } from './accounts/account-mirror.js';
export type { WriteOutcome } from './common/mirror-writer.js';
export { DEFAULT_WEBHOOK_PATHS, type WebhookPaths } from './webhooks/webhooks.controller.js';
export { verificationFieldsNeeded } from './accounts/account-mirror.js';
export { stripeConnectEntities } from './entities.js';
export { stripeConnectMigrations } from './migrations.js';
export { Account, type AccountType } from './accounts/account.entity.js';
export { ExternalAccount } from './accounts/external-account.entity.js';
export { Person } from './accounts/person.entity.js';
export { Customer, type SavedCard } from './customers/customer.entity.js';
export { UserAccount } from './customers/user-account.entity.js';
export { Charge } from './charges/charge.entity.js';
export { Refund } from './charges/refund.entity.js';
export { ApplicationFee } from './charges/application-fee.entity.js';
export { Transfer } from './transfers/transfer.entity.js';
export { TransferReversal } from './transfers/transfer-reversal.entity.js';
export { Payout } from './transfers/payout.entity.js';
export { StripeEvent, type StripeEventStatus } from './webhooks/stripe-event.entity.js';
export { EventProcessingError } from './webhooks/event-processing-error.entity.js';
export { AccountsService, type RequestMeta } from './accounts/accounts.service.js';
export {
  AddressInput,
  BankAccountInput,
  BusinessProfileInput,
  CompanyInput,
  DateOfBirthInput,
  InitialCustomAccountDto,
  PersonInput,
  RepresentativeInput,
} from './accounts/dto/initial-custom-account.dto.js';
export {
  AccountResponse,
  ExternalAccountResponse,
  RequirementsResponse,
  toAccountResponse,
} from './accounts/dto/account.response.js';
export { COUNTRY_RULES, SUPPORTED_COUNTRIES, type CountryRule } from './accounts/country-rules.js';
export {
  AccountNotFoundError,
  FormValidationError,
  PlatformOnlyError,
  StripeRequestError,
  UnsupportedCountryError,
} from './common/stripe-connect.errors.js';
export {
  BUSINESS_TYPES,
  initialFormDescription,
  onboardingCountries,
  type BusinessType,
  type CountrySummary,
  type InitialFieldType,
  type InitialFormDescription,
  type InitialFormField,
} from './accounts/initial-form.js';
export {
  CountrySummaryResponse,
  InitialFormDescriptionResponse,
  InitialFormFieldResponse,
} from './accounts/dto/onboarding-countries.response.js';
export {
  VerificationService,
  FORM_SECTION_METADATA,
  type VerificationState,
} from './accounts/verification.service.js';
export {
  buildVerificationForm,
  fieldForRequirement,
  messageForRequirementError,
  type FieldType,
  type FormField,
  type RequirementAlternative,
} from './accounts/verification-form.js';
export {
  FormFieldResponse,
  VerificationStateResponse,
} from './accounts/dto/verification-state.response.js';
export {
  OnboardingService,
  OnboardingStateError,
  OnboardingNotConfiguredError,
  type OnboardingLink,
} from './accounts/onboarding.service.js';
export {
  CreateHostedAccountDto,
  HostedAccountResponse,
  OnboardingLinkDto,
  OnboardingLinkResponse,
  AuthorizeUrlResponse,
  LoginLinkResponse,
} from './accounts/dto/create-hosted-account.dto.js';
export { UsedState } from './accounts/used-state.entity.js';
export { RateLimit } from './common/rate-limit.entity.js';
export { DatabaseThrottlerStorage } from './common/rate-limit.storage.js';
export {
  chargeAmountProblem,
  currencyExponent,
  isSupportedCurrency,
  SUPPORTED_CURRENCIES,
  fromMinorUnits,
  MAXIMUM_AMOUNT,
  MINIMUM_CHARGE_AMOUNTS,
  MoneyError,
  payoutAmountProblem,
  THREE_DECIMAL_CURRENCIES,
  toMinorUnits,
  WHOLE_UNIT_PAYOUT_CURRENCIES,
  ZERO_DECIMAL_CURRENCIES,
} from './stripe/currency.js';
export {
  CustomersService,
  AccountNotEnabledError,
  CustomerNotFoundError,
  type CustomerDetails,
} from './customers/customers.service.js';
export {
  CreateConnectedCustomerDto,
  CreatePlatformCustomerDto,
  CustomerResponse,
  DefaultPaymentMethodResponse,
  SaveCardDto,
  toCustomerResponse,
} from './customers/dto/customer.response.js';
export { ChargesService, ChargeNotFoundError } from './charges/charges.service.js';
export {
  CaptureChargeDto,
  ChargeResponse,
  CreateChargeDto,
  CreateRefundDto,
  RefundResponse,
  toChargeResponse,
  toRefundResponse,
} from './charges/dto/charge.dto.js';
export { TransfersService, TransferNotFoundError } from './transfers/transfers.service.js';
export {
  BalanceResponse,
  CreatePayoutDto,
  CreateReversalDto,
  CreateTransferDto,
  PayoutResponse,
  ReversalResponse,
  TransferResponse,
  toPayoutResponse,
  toTransferResponse,
} from './transfers/dto/transfer.dto.js';
export { AddExternalAccountDto } from './accounts/dto/external-account.dto.js';
