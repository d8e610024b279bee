import {
  Module,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import helmet from 'helmet';
import { OnboardingPagesController } from './onboarding-pages.controller.js';
import { OnboardingPagesSettings } from './onboarding-pages.settings.js';
import { OnboardingSessionController } from './onboarding-session.controller.js';
import { UsedLoginTokens } from './used-login-tokens.js';

/**
 * The host's onboarding pages (`/onboarding`, `/onboarding/:account`) and their sign-in
 * (`/onboarding/sign-in`, `POST /onboarding/session`). Not part of the library: a host may import it, or
 * build its own pages on the same REST routes.
 */
/**
 * The pages' Content-Security-Policy: their one script and stylesheet from here, calls to this origin only,
 * image previews of chosen documents as `blob:`/`data:` URLs, no framing; forms post here only.
 */
export const ONBOARDING_PAGES_CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'blob:', 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

@Module({})
export class OnboardingPagesModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(
        helmet({ contentSecurityPolicy: { useDefaults: false, directives: ONBOARDING_PAGES_CSP } }),
      )
      .forRoutes(OnboardingPagesController, OnboardingSessionController);
  }

  static register(options: { jwtSecret: string; sessionTtl?: string }): DynamicModule {
    return {
      module: OnboardingPagesModule,
      controllers: [OnboardingPagesController, OnboardingSessionController],
      providers: [
        {
          provide: OnboardingPagesSettings,
          useValue: new OnboardingPagesSettings(options.jwtSecret, options.sessionTtl),
        },
        UsedLoginTokens,
      ],
    };
  }
}
