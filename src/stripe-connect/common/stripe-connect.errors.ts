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

/** A webhook delivery whose signature does not verify (or has none): 400, nothing stored. */
export class WebhookSignatureError extends StripeConnectError {
  readonly status = 400;
  readonly code = 'invalid_signature';
}

/** A verified webhook body that is not a Stripe event: 400. */
export class InvalidWebhookPayloadError extends StripeConnectError {
  readonly status = 400;
  readonly code = 'invalid_payload';
}
