/**
 * `nest-stripe-connect/testing`: the offline Stripe sandbox and what a platform's own tests need around it.
 * See TESTING.md in the package.
 */
export {
  TestStripeSandbox,
  type SandboxFault,
  type TestStripeSandboxOptions,
} from './test-stripe-sandbox.js';
export {
  baseUrlOf,
  deliverStripeEvent,
  signStripePayload,
  stripeEvent,
  TEST_EVENT_API_VERSION,
  type DeliveryOptions,
  type DeliveryResult,
} from './stripe-test-events.js';
export {
  TEST_BANK_ACCOUNTS,
  TEST_CARD_NUMBERS,
  TEST_IDENTITY,
  TEST_PAYMENT_METHODS,
  TEST_US_BANK_ACCOUNTS,
  testCustomAccountForm,
} from './stripe-test-values.js';
export {
  StripeSandbox,
  SandboxClient,
  type StripeSandboxOptions,
} from '../stripe-sandbox/index.js';
