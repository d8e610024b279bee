import { rmSync, writeFileSync } from 'node:fs';
import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { StripeSandbox } from '../stripe-sandbox/index.js';
import { sandboxAddressFile } from './sandbox-address-file.js';

/** Where the library's webhook endpoints listen in the host app. */
export const PLATFORM_WEBHOOK_PATH = '/stripe/webhooks';
export const CONNECT_WEBHOOK_PATH = '/stripe/webhooks/connect';

/**
 * The Stripe sandbox running inside the host app (no STRIPE_SECRET_KEY): started before the library so its
 * URL becomes the API base, pointed at the app's two webhook endpoints once the app listens, closed with it.
 */
export class EmbeddedSandbox implements OnApplicationShutdown {
  private readonly logger = new Logger('StripeSandbox');
  private published = false;

  private constructor(
    readonly sandbox: StripeSandbox,
    private readonly secrets: { platform: string; connect: string },
    private readonly addressFile: string,
  ) {}

  static async start(options: {
    stateFile: string;
    platformSecret: string;
    connectSecret: string;
  }): Promise<EmbeddedSandbox> {
    const logger = new Logger('StripeSandbox');
    const sandbox = await StripeSandbox.start({
      port: 0,
      stateFile: options.stateFile,
      log: (line) => logger.debug(line),
    });
    return new EmbeddedSandbox(
      sandbox,
      { platform: options.platformSecret, connect: options.connectSecret },
      sandboxAddressFile(options.stateFile),
    );
  }

  get url(): string {
    return this.sandbox.url;
  }

  /** Sends the sandbox's events, signed, to the app listening at `appUrl`. */
  deliverTo(appUrl: string): void {
    this.sandbox.webhooks.configure([
      { url: `${appUrl}${PLATFORM_WEBHOOK_PATH}`, secret: this.secrets.platform, connect: false },
      { url: `${appUrl}${CONNECT_WEBHOOK_PATH}`, secret: this.secrets.connect, connect: true },
    ]);
    // `npm run cli -- sandbox …` finds the running app's sandbox through this file.
    writeFileSync(this.addressFile, JSON.stringify({ url: this.url, pid: process.pid }));
    this.published = true;
    this.logger.log(
      `Stripe sandbox at ${this.url} delivers events to ${appUrl}; its clock is at ` +
        `${new Date(this.sandbox.clock.now() * 1000).toISOString()} (GET ${this.url}/_sandbox/clock, ` +
        `or npm run cli -- sandbox status)`,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.published) rmSync(this.addressFile, { force: true });
    await this.sandbox.close();
  }
}
