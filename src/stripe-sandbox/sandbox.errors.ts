/** An error the sandbox answers in Stripe's shape: `{ error: { type, code, message, param, … } }`. */
export type StripeErrorType =
  'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';

export class SandboxError extends Error {
  constructor(
    readonly status: number,
    readonly type: StripeErrorType,
    message: string,
    readonly details: {
      code?: string;
      param?: string;
      decline_code?: string;
      payment_intent?: Record<string, unknown>;
    } = {},
  ) {
    super(message);
  }

  toBody(requestId: string): Record<string, unknown> {
    const error: Record<string, unknown> = { type: this.type, message: this.message };
    if (this.details.code) error.code = this.details.code;
    if (this.details.decline_code) error.decline_code = this.details.decline_code;
    if (this.details.param) error.param = this.details.param;
    if (this.details.payment_intent) error.payment_intent = this.details.payment_intent;
    if (this.details.code)
      error.doc_url = `https://stripe.com/docs/error-codes/${this.details.code.replace(/_/g, '-')}`;
    error.request_log_url = `https://dashboard.stripe.com/test/logs/${requestId}`;
    return { error };
  }
}

export function invalidRequest(message: string, param?: string, code?: string): SandboxError {
  return new SandboxError(400, 'invalid_request_error', message, { param, code });
}

export function missingParam(param: string): SandboxError {
  return invalidRequest(`Missing required param: ${param}.`, param, 'parameter_missing');
}

export function invalidParam(
  param: string,
  message: string,
  code = 'parameter_invalid_string',
): SandboxError {
  return invalidRequest(message, param, code);
}

export function resourceMissing(noun: string, id: string, param = 'id'): SandboxError {
  return new SandboxError(404, 'invalid_request_error', `No such ${noun}: '${id}'`, {
    code: 'resource_missing',
    param,
  });
}

/** OAuth errors have their own shape: `{ error, error_description }`. */
export class SandboxOAuthError extends SandboxError {
  constructor(
    readonly oauthCode: string,
    description: string,
  ) {
    super(oauthCode === 'invalid_client' ? 401 : 400, 'invalid_request_error', description);
  }

  override toBody(): Record<string, unknown> {
    return { error: this.oauthCode, error_description: this.message };
  }
}
