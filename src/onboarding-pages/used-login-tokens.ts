import { Injectable } from '@nestjs/common';

/**
 * The login tokens already exchanged, until they expire: each sign-in link works once. Kept in this process,
 * which is what the demo host runs (one process); several instances behind a balancer would share a table.
 */
@Injectable()
export class UsedLoginTokens {
  private readonly used = new Map<string, number>();

  /** Records `jti`; false when it was already used. */
  claim(jti: string, expiresAt: number): boolean {
    const now = Math.floor(Date.now() / 1000);
    for (const [id, expiry] of this.used) if (expiry < now) this.used.delete(id);
    if (this.used.has(jti)) return false;
    this.used.set(jti, expiresAt);
    return true;
  }
}
