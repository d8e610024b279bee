import { DEFAULT_MAX_TOKEN_LIFETIME_SECONDS } from './jwt.js';

/** The verified-token settings the guard needs; provided by the AppModule from its configuration. */
export class AuthSettings {
  constructor(
    readonly jwtSecret: string,
    /** The longest lifetime (`exp - iat`) a bearer token may have (`AUTH_JWT_MAX_LIFETIME`). */
    readonly maxLifetimeSeconds = DEFAULT_MAX_TOKEN_LIFETIME_SECONDS,
  ) {}
}
