/** What the onboarding pages need of the host: the secret its bearer tokens are signed with. */
export class OnboardingPagesSettings {
  constructor(
    readonly jwtSecret: string,
    /** How long a session opened by a sign-in link lasts. */
    readonly sessionTtl = '2h',
  ) {}
}
