import { Body, Controller, HttpCode, Post, UnauthorizedException } from '@nestjs/common';
import { ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { decodeJwt } from 'jose';
import { signAuthToken } from '../auth/jwt.js';
import { Public } from '../auth/public.decorator.js';
import { verifyLoginToken } from './login-token.js';
import { OnboardingSessionDto, OnboardingSessionResponse } from './onboarding-session.dto.js';
import { OnboardingPagesSettings } from './onboarding-pages.settings.js';
import { UsedLoginTokens } from './used-login-tokens.js';

/** Exchanges a one-time sign-in link's token for a bearer token the pages keep for the tab's session. */
@ApiTags('onboarding pages')
@Controller('onboarding/session')
export class OnboardingSessionController {
  constructor(
    private readonly settings: OnboardingPagesSettings,
    private readonly used: UsedLoginTokens,
  ) {}

  @Post()
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: OnboardingSessionResponse })
  @ApiUnauthorizedResponse({ description: 'The link is invalid, expired or already used' })
  async open(@Body() body: OnboardingSessionDto): Promise<OnboardingSessionResponse> {
    let claims;
    try {
      claims = await verifyLoginToken(this.settings.jwtSecret, body.token);
    } catch {
      throw new UnauthorizedException('This sign-in link is invalid or has expired');
    }
    if (!this.used.claim(claims.jti, claims.expiresAt))
      throw new UnauthorizedException('This sign-in link has already been used');
    const token = await signAuthToken(this.settings.jwtSecret, claims.userId, {
      expiresIn: this.settings.sessionTtl,
    });
    return {
      token,
      userId: claims.userId,
      expiresAt: new Date(decodeJwt(token).exp! * 1000).toISOString(),
    };
  }
}
