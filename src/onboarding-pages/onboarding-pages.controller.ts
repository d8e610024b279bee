import { readFile } from 'node:fs/promises';
import { Controller, Get, Header, NotFoundException, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/public.decorator.js';
import { onboardingCountries } from '../stripe-connect/index.js';
import { accountPage, signInPage, startPage } from './onboarding-pages.views.js';

/** The browser assets, served as they are: no front-end build step. */
const ASSETS: Record<string, string> = {
  'onboarding.js': 'text/javascript; charset=utf-8',
  'onboarding.css': 'text/css; charset=utf-8',
};
const ASSET_DIR = new URL('./assets/', import.meta.url);

/**
 * The onboarding pages (DESIGN.md section 4): shells anyone may load; everything about the user comes from the
 * REST routes, called by the page script with the user's bearer token.
 */
@ApiExcludeController()
@Public()
@Controller('onboarding')
export class OnboardingPagesController {
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  start(@Query('country') country?: string, @Query('businessType') businessType?: string): string {
    const countries = onboardingCountries();
    const chosen = countries.find((c) => c.country === country?.toUpperCase());
    const type =
      businessType === 'company' || businessType === 'individual' ? businessType : undefined;
    return startPage({ countries, country: chosen, businessType: chosen ? type : undefined });
  }

  @Get('sign-in')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  signIn(): string {
    return signInPage();
  }

  @Get('assets/:file')
  async asset(@Param('file') file: string, @Res() res: Response): Promise<void> {
    const type = ASSETS[file];
    if (!type) throw new NotFoundException();
    res
      .type(type)
      .set('Cache-Control', 'no-cache')
      .send(await readFile(new URL(file, ASSET_DIR)));
  }

  @Get(':account')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  account(@Param('account') account: string): string {
    if (!/^acct_[A-Za-z0-9]{1,64}$/.test(account)) throw new NotFoundException();
    return accountPage(account);
  }
}
