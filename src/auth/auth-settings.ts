/** The verified-token settings the guard needs; provided by the AppModule from its configuration. */
export class AuthSettings {
  constructor(readonly jwtSecret: string) {}
}
