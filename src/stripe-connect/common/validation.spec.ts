import { Type } from 'class-transformer';
import { IsInt, IsString, Max, Min, ValidateNested, validate } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import { describe, expect, it } from 'vitest';
import { fieldErrorsOf, validationFailed } from './validation.js';

class Dob {
  @IsInt()
  @Min(1900)
  year: number;

  @IsInt()
  @Min(1)
  @Max(12)
  month: number;
}

class Individual {
  @IsString()
  firstName: string;

  @ValidateNested()
  @Type(() => Dob)
  dob: Dob;
}

class Form {
  @ValidateNested()
  @Type(() => Individual)
  individual: Individual;
}

describe('fieldErrorsOf', () => {
  it('keys each message by its dotted field path', async () => {
    const form = plainToInstance(Form, {
      individual: { firstName: 7, dob: { year: 1800, month: 13 } },
    });
    const errors = fieldErrorsOf(await validate(form));
    expect(Object.keys(errors).sort()).toEqual([
      'individual.dob.month',
      'individual.dob.year',
      'individual.firstName',
    ]);
    expect(errors['individual.dob.year']).toEqual(['year must not be less than 1900']);
  });

  it('answers the contract shape', () => {
    expect(validationFailed({ country: ['country is required'] }).getResponse()).toEqual({
      statusCode: 400,
      message: 'Validation failed',
      code: 'validation_failed',
      errors: { country: ['country is required'] },
    });
  });
});
