import { ValidateBy, type ValidationOptions } from 'class-validator';
import { isSupportedCurrency } from './currency.js';

/** A lowercase currency code that Stripe supports (`usd`, `eur`, `jpy`…); `xyz` is refused. */
export function IsStripeCurrency(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isStripeCurrency',
      validator: {
        validate: (value: unknown) => isSupportedCurrency(value),
        defaultMessage: () =>
          '$property must be a lowercase currency code that Stripe supports (usd, eur, jpy, …)',
      },
    },
    options,
  );
}
