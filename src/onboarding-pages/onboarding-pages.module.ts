import { Module, type DynamicModule } from '@nestjs/common';
import { OnboardingPagesController } from './onboarding-pages.controller.js';
import { OnboardingPagesSettings } from './onboarding-pages.settings.js';
import { OnboardingSessionController } from './onboarding-session.controller.js';
import { UsedLoginTokens } from './used-login-tokens.js';

/**
 * The host's onboarding pages (`/onboarding`, `/onboarding/:account`) and their sign-in
 * (`/onboarding/sign-in`, `POST /onboarding/session`). Not part of the library: a host may import it, or
 * build its own pages on the same REST routes.
 */
@Module({})
export class OnboardingPagesModule {
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
