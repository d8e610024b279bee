import { Inject } from '@nestjs/common';
import { STRIPE_CLIENT } from '../stripe-connect.constants.js';

/** Injects the library's Stripe SDK client (`Stripe`). */
export const InjectStripeClient = (): ParameterDecorator & PropertyDecorator =>
  Inject(STRIPE_CLIENT);
