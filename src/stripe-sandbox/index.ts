/** The Stripe sandbox: an offline, stateful stand-in for Stripe's API (DESIGN.md section 7). */
export { StripeSandbox, SANDBOX_API_VERSION, type StripeSandboxOptions } from './stripe-sandbox.js';
export { SandboxClient } from './sandbox-client.js';
export {
  signPayload,
  WEBHOOK_RETRY_DELAYS,
  type WebhookEndpointConfig,
} from './webhook-dispatcher.js';
