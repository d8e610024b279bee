/**
 * Errors thrown by the library's services, so that they work outside HTTP. The library's exception filter
 * maps each to a status code on the library's own routes.
 */
export abstract class StripeConnectError extends Error {
  abstract readonly status: number;
  /** A stable machine-readable code for clients. */
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The module options are missing or malformed; thrown while the module starts. */
export class StripeConnectConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid StripeConnectModule options:\n  - ${problems.join('\n  - ')}`);
    this.name = 'StripeConnectConfigError';
  }
}

/** The module was started without Stripe (`withoutStripe`); answers 503 with the host's reason. */
export class StripeUnavailableError extends StripeConnectError {
  readonly status = 503;
  readonly code = 'stripe_unavailable';
}

/** Why a webhook delivery was refused (each a 400; nothing is stored). */
export type WebhookRejectionReason =
  | 'missing_signature'
  | 'malformed_signature'
  | 'no_matching_signature'
  | 'stale_timestamp'
  | 'empty_body'
  | 'unsupported_content_type'
  | 'not_json'
  | 'not_an_event'
  | 'payload_too_large';

/** A webhook delivery whose signature does not verify (or has none): 400, nothing stored. */
export class WebhookSignatureError extends StripeConnectError {
  readonly status = 400;
  readonly code = 'invalid_signature';

  constructor(
    message: string,
    readonly reason: WebhookRejectionReason = 'no_matching_signature',
  ) {
    super(message);
  }
}

/** A webhook body that is not a Stripe event (empty, not JSON, not an event): 400. */
export class InvalidWebhookPayloadError extends StripeConnectError {
  readonly status = 400;
  readonly code = 'invalid_payload';

  constructor(
    message: string,
    readonly reason: WebhookRejectionReason = 'not_an_event',
  ) {
    super(message);
  }
}

/** Input that fails the library's own checks (country rules, bank checksums): 400 with `errors` per field. */
export class FormValidationError extends StripeConnectError {
  readonly status = 400;
  readonly code = 'validation_failed';

  constructor(
    readonly errors: Record<string, string[]>,
    message = 'Validation failed',
  ) {
    super(message);
  }
}

/** A connected account that does not exist, or that the caller may not see: 404 either way. */
export class AccountNotFoundError extends StripeConnectError {
  readonly status = 404;
  readonly code = 'account_not_found';

  constructor(id: string) {
    super(`No such connected account: ${id}`);
  }
}

/** A user acting on what only the platform may do: 403. */
export class PlatformOnlyError extends StripeConnectError {
  readonly status = 403;
  readonly code = 'platform_only';
}

/**
 * Stripe refused or could not be reached. Carries the HTTP status the library answers with, Stripe's code and
 * decline code, and the request field Stripe's `param` maps to. The Stripe error is the `cause`.
 */
export class StripeRequestError extends StripeConnectError {
  readonly code: string;

  constructor(
    readonly status: number,
    message: string,
    options: { code?: string; declineCode?: string; field?: string; cause?: unknown },
  ) {
    super(message, { cause: options.cause });
    this.code = options.code ?? 'stripe_error';
    this.declineCode = options.declineCode;
    this.field = options.field;
  }

  readonly declineCode?: string;
  readonly field?: string;
}

/** A country the library does not onboard custom accounts in: 404. */
export class UnsupportedCountryError extends StripeConnectError {
  readonly status = 404;
  readonly code = 'country_not_supported';

  constructor(country: string) {
    super(`Custom accounts are not onboarded in ${country.slice(0, 10)}`);
  }
}
