/** A small client for the sandbox's own routes (`/_sandbox/…`), for tests and scripts. */
export class SandboxClient {
  constructor(readonly baseUrl: string) {}

  /** The sandbox's current time, unix seconds. */
  async now(): Promise<number> {
    const response = await fetch(new URL('/_sandbox/clock', this.baseUrl));
    return ((await response.json()) as { now: number }).now;
  }

  /**
   * Moves the sandbox clock forward by `seconds`, runs everything that falls due and waits for the resulting
   * webhook deliveries. Answers the new time.
   */
  async advance(seconds: number): Promise<number> {
    const response = await fetch(new URL('/_sandbox/clock/advance', this.baseUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ seconds }),
    });
    const body = (await response.json()) as { now: number; error?: { message: string } };
    if (!response.ok) throw new Error(body.error?.message ?? `HTTP ${response.status}`);
    return body.now;
  }

  /** Makes the next `count` requests to `path` (and `method`, when given) fail with `status`. */
  async injectFault(fault: {
    path: string;
    method?: string;
    status: 429 | 500 | 502 | 503;
    count?: number;
    /** Do the work first, then fail the answer (or, with `drop`, drop the connection). */
    after?: boolean;
    drop?: boolean;
  }): Promise<void> {
    const response = await fetch(new URL('/_sandbox/faults', this.baseUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(fault),
    });
    if (!response.ok) throw new Error(`injectFault: HTTP ${response.status}`);
  }
}
