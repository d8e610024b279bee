import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { StripeSandbox, type StripeSandboxOptions } from '../../src/stripe-sandbox/index.js';

/** The official SDK pointed at a sandbox, as the library builds it. */
export function stripeFor(sandbox: StripeSandbox, key = 'sk_test_sandbox_tests'): Stripe {
  return new Stripe(key, {
    host: '127.0.0.1',
    port: sandbox.port,
    protocol: 'http',
    maxNetworkRetries: 0,
    telemetry: false,
  });
}

export async function startSandbox(
  options: StripeSandboxOptions = {},
): Promise<{ sandbox: StripeSandbox; stripe: Stripe }> {
  const sandbox = await StripeSandbox.start(options);
  return { sandbox, stripe: stripeFor(sandbox) };
}

/** A custom US account able to take payments and transfers, with a bank account (`btok_us` by default). */
export function createSeller(stripe: Stripe, externalAccount = 'btok_us'): Promise<Stripe.Account> {
  return stripe.accounts.create({
    type: 'custom',
    country: 'US',
    capabilities: { card_payments: { requested: true }, transfers: { requested: true } },
    external_account: externalAccount,
  });
}

/** The `available` (or `pending`) USD balance of an account, or of the platform. */
export async function usdBalance(
  stripe: Stripe,
  account?: string,
  which: 'available' | 'pending' = 'available',
): Promise<number> {
  const balance = await stripe.balance.retrieve({}, account ? { stripeAccount: account } : {});
  return balance[which].find((b) => b.currency === 'usd')?.amount ?? 0;
}

export interface Delivery {
  body: string;
  signature: string;
  event: Stripe.Event;
}

/** A webhook receiver on 127.0.0.1 that records deliveries and answers `status()` (200 by default). */
export class WebhookReceiver {
  readonly deliveries: Delivery[] = [];
  status: (delivery: Delivery) => number = () => 200;
  private server?: Server;

  async start(): Promise<this> {
    this.server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const delivery = {
          body,
          signature: String(req.headers['stripe-signature']),
          event: JSON.parse(body) as Stripe.Event,
        };
        this.deliveries.push(delivery);
        res.writeHead(this.status(delivery)).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/hook`;
  }

  ofType(type: string): Delivery[] {
    return this.deliveries.filter((d) => d.event.type === type);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server?.close(() => resolve());
      this.server?.closeAllConnections();
    });
  }
}
