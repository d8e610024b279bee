import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';

/** Field errors keyed by the request's own field names, dotted for nesting (`individual.dob.year`). */
export type FieldErrors = Record<string, string[]>;

/** Flattens class-validator's tree into `{ 'individual.dob.year': ['…'] }`. */
export function fieldErrorsOf(errors: ValidationError[], parent = ''): FieldErrors {
  const result: FieldErrors = {};
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const messages = Object.values(error.constraints ?? {});
    if (messages.length) (result[path] ??= []).push(...messages);
    if (error.children?.length) {
      for (const [childPath, childMessages] of Object.entries(
        fieldErrorsOf(error.children, path),
      )) {
        (result[childPath] ??= []).push(...childMessages);
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
 * The validation pipe the library's routes expect: unknown fields refused, payloads transformed into their
 * DTO classes, failures answered with field-level `errors`. A host uses it as its global pipe.
 */
export function createStripeConnectValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => validationFailed(fieldErrorsOf(errors)),
  });
}
