/** Injection token of the resolved (validated, defaulted) module options. */
export const STRIPE_CONNECT_OPTIONS = Symbol('STRIPE_CONNECT_OPTIONS');
/** Injection token of the Stripe SDK client. */
export const STRIPE_CLIENT = Symbol('STRIPE_CLIENT');
/** Metadata key of routes that take no user authentication (webhooks, Stripe redirects). */
export const STRIPE_CONNECT_PUBLIC = 'stripe-connect:public';
/** Request property where the library keeps the caller it resolved through `getUser`. */
export const STRIPE_CONNECT_USER = 'stripeConnectUser';
/** Path prefixes of the library's routes (`/connect` and the webhook paths), for its global edge filter. */
export const STRIPE_CONNECT_ROUTE_PREFIXES = Symbol('STRIPE_CONNECT_ROUTE_PREFIXES');
/** The request counts of the library's rate limits (@nestjs/throttler's in-memory storage). */
export const STRIPE_CONNECT_THROTTLER_STORAGE = Symbol('STRIPE_CONNECT_THROTTLER_STORAGE');
