import {
  BadRequestException,
  Injectable,
  ValidationPipe,
  type ArgumentMetadata,
  type ValidationError,
} from '@nestjs/common';
import { inputProblems } from './input-hygiene.js';

/** Field errors keyed by the request's own field names, dotted for nesting (`individual.dob.year`). */
export type FieldErrors = Record<string, string[]>;

/** Adds messages to a field's list; own properties only, so a field named `toString` is just a field. */
export function addFieldErrors(errors: FieldErrors, field: string, messages: string[]): void {
  // defineProperty: assigning `errors['__proto__']` would set the prototype instead of a field.
  if (!Object.hasOwn(errors, field))
    Object.defineProperty(errors, field, {
      value: [],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  errors[field].push(...messages);
}

/** Flattens class-validator's tree into `{ 'individual.dob.year': ['…'] }`. */
export function fieldErrorsOf(errors: ValidationError[], parent = ''): FieldErrors {
  const result: FieldErrors = {};
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const messages = Object.values(error.constraints ?? {});
    if (messages.length) addFieldErrors(result, path, messages);
    if (error.children?.length) {
      for (const [childPath, childMessages] of Object.entries(
        fieldErrorsOf(error.children, path),
      )) {
        addFieldErrors(result, childPath, childMessages);
      }
    }
  }
  return result;
}

/** The 400 of the REST contract: `{ statusCode: 400, message, code: 'validation_failed', errors }`. */
export function validationFailed(
  errors: FieldErrors,
  message = 'Validation failed',
): BadRequestException {
  return new BadRequestException({ statusCode: 400, message, code: 'validation_failed', errors });
}

/**
 * The validation pipe of the library's routes (each controller carries it, so the host need not install one):
 * input no route accepts refused first (NUL, lone surrogates, deep nesting, prototype keys, null), unknown
 * fields refused, payloads transformed into their DTO classes, failures answered with field-level `errors`.
 */
@Injectable()
export class StripeConnectValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => validationFailed(fieldErrorsOf(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'custom') return value;
    const prefix = metadata.type === 'body' ? '' : (metadata.data ?? '');
    const problems = inputProblems(value, prefix, { prototypes: false });
    if (Object.keys(problems).length) throw validationFailed(problems);
    return super.transform(value, metadata);
  }
}

/** The library's validation pipe, for a host that wants the same behaviour on its own routes. */
export function createStripeConnectValidationPipe(): ValidationPipe {
  return new StripeConnectValidationPipe();
}
