/**
 * `npm run cli -- onboarding-url <userId>`: a short-lived link that signs <userId> in to the onboarding pages.
 * Reads only the configuration (AUTH_JWT_SECRET, PUBLIC_URL, PORT): no database, so it works while the app
 * holds the embedded one.
 */
import { loadConfig } from '../config/app-config.js';
import { LOGIN_TOKEN_TTL_SECONDS, onboardingSignInUrl, signLoginToken } from './login-token.js';

export const ONBOARDING_URL_USAGE = `onboarding-url <userId>
      Print a link, valid ${LOGIN_TOKEN_TTL_SECONDS / 60} minutes and once, that signs <userId> in to the onboarding
      pages (/onboarding) of the app at PUBLIC_URL (default http://localhost:<PORT>).`;

export async function onboardingUrlCommand(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<string> {
  const userId = args.find((arg) => !arg.startsWith('--'));
  if (!userId || args.length !== 1) throw new Error('onboarding-url needs exactly one <userId>');
  const config = loadConfig(env);
  const token = await signLoginToken(config.auth.jwtSecret, userId);
  return onboardingSignInUrl(config.onboarding.publicUrl, token);
}
