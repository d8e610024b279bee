import { Controller, Get, Param, Query, UseFilters, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { StripeConnectAuthGuard } from '../common/stripe-connect-auth.guard.js';
import { StripeConnectExceptionFilter } from '../common/stripe-connect-exception.filter.js';
import { UnsupportedCountryError } from '../common/stripe-connect.errors.js';
import { validationFailed } from '../common/validation.js';
import {
  CountrySummaryResponse,
  InitialFormDescriptionResponse,
} from './dto/onboarding-countries.response.js';
import {
  BUSINESS_TYPES,
  initialFormDescription,
  onboardingCountries,
  type BusinessType,
} from './initial-form.js';

/** The countries a custom account may be opened in, and the initial form of each (anyone signed in). */
@ApiTags('onboarding')
@ApiBearerAuth()
@Controller('connect/onboarding/countries')
@UseGuards(StripeConnectAuthGuard)
@UseFilters(StripeConnectExceptionFilter)
export class OnboardingCountriesController {
  @Get()
  @ApiOkResponse({ type: [CountrySummaryResponse] })
  countries(): CountrySummaryResponse[] {
    return onboardingCountries();
  }

  /** The fields of `POST /connect/accounts/custom` for the country and business type. */
  @Get(':country/form')
  @ApiQuery({ name: 'businessType', enum: BUSINESS_TYPES, required: false })
  @ApiOkResponse({ type: InitialFormDescriptionResponse })
  @ApiBadRequestResponse({ description: 'An unknown business type' })
  @ApiNotFoundResponse({ description: 'A country the library does not onboard' })
  form(
    @Param('country') country: string,
    @Query('businessType') businessType: string | undefined,
  ): InitialFormDescriptionResponse {
    const type = businessType ?? 'individual';
    if (!BUSINESS_TYPES.includes(type as BusinessType)) {
      throw validationFailed({
        businessType: [`businessType must be one of ${BUSINESS_TYPES.join(', ')}`],
      });
    }
    const form = initialFormDescription(country, type as BusinessType);
    if (!form) throw new UnsupportedCountryError(country);
    return form;
  }
}
