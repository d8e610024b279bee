/**
 * The onboarding pages in a real browser: headless Chromium (Debian's `chromium`) driven by playwright-core,
 * against the real app on the embedded sandbox. Signed in through the link `npm run cli -- onboarding-url`
 * prints; every step is captured to test-results/onboarding/ (kept out of git).
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { onboardingSignInUrl, signLoginToken } from '../src/onboarding-pages/login-token.js';
import { EmbeddedSandbox } from '../src/sandbox/embedded-sandbox.js';
import { SandboxClient } from '../src/stripe-sandbox/index.js';
import { identityCardPng } from './support/png.js';
import { createTestApp, TEST_JWT_SECRET, type TestApp } from './support/test-app.js';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SCREENSHOTS = join(process.cwd(), 'test-results', 'onboarding');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1100, height: 900 };

describe('onboarding pages in Chromium', { timeout: 120_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let forwarder: Server;
  const contexts: BrowserContext[] = [];
  /** Uncaught errors of the page script: none is expected. */
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `The browser tests need Chromium at ${CHROMIUM}: install Debian's package (apt-get install chromium) ` +
          'or set CHROMIUM_PATH to a Chromium binary.',
      );
    }
    await mkdir(SCREENSHOTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    // The app's PUBLIC_URL (where Stripe sends the browser back) is known before the app listens: a
    // forwarder on its own port sends the browser on to the app.
    forwarder = createServer((req, res) => {
      res.writeHead(303, { location: `${base}${req.url}` }).end();
    });
    await new Promise<void>((resolve) => forwarder.listen(0, '127.0.0.1', resolve));
    const publicUrl = `http://127.0.0.1:${(forwarder.address() as AddressInfo).port}`;
    t = await createTestApp({
      stripe: 'sandbox',
      onboarding: { publicUrl, returnUrl: `${publicUrl}/onboarding` },
    });
    const { port } = (t.app.getHttpServer() as Server).address() as AddressInfo;
    base = `http://127.0.0.1:${port}`;
  }, 120_000);
  afterEach(() => {
    expect(pageErrors).toEqual([]);
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await t?.close();
    forwarder?.close();
  });

  /** A fresh browser tab signed in as `user` through a one-time sign-in link. */
  async function signedIn(user: string, viewport = DESKTOP): Promise<Page> {
    const context = await browser.newContext({ viewport });
    context.setDefaultTimeout(15_000);
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`${user}: ${error.message}`));
    // The pages' Content-Security-Policy must hold: anything it refuses is a failure of the test.
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text()))
        pageErrors.push(`${user}: ${message.text()}`);
    });
    const link = onboardingSignInUrl(base, await signLoginToken(TEST_JWT_SECRET, user));
    await page.goto(link);
    await page.waitForURL(`${base}/onboarding`);
    await expect.poll(() => page.locator('#signed-in-as').textContent()).toContain(user);
    // The link worked once: the token left the address bar, and a second use is refused.
    const again = await page.request.post(`${base}/onboarding/session`, {
      data: { token: new URL(link).hash.slice('#token='.length) },
    });
    expect(again.status()).toBe(401);
    return page;
  }

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

  async function choose(page: Page, country: string, businessType: 'An individual' | 'A company') {
    const chooser = page.getByRole('region', { name: 'Open an account here' });
    await chooser.getByLabel('Country').selectOption({ label: country });
    await chooser.getByLabel(businessType).check();
    await chooser.getByRole('button', { name: 'Continue' }).click();
    await page.locator('#initial-form .field').first().waitFor();
  }

  /** The id of the element that has the keyboard focus. */
  const focused = (page: Page) => page.evaluate<string>('document.activeElement?.id');

  async function status(page: Page, term: string): Promise<string | null> {
    return page.locator(`dd[data-status="${term}"]`).textContent();
  }

  it('onboards a US individual to charges enabled, at phone width', async () => {
    const page = await signedIn('browser-us-individual', PHONE);
    await expect.poll(() => page.locator('#accounts').textContent()).toContain('no seller account');
    await choose(page, 'United States', 'An individual');
    const about = page.getByRole('group', { name: 'About you' });
    // Sent empty, each required field shows its own error (not one for the whole group).
    await page.getByRole('button', { name: 'Create my seller account' }).click();
    await page.locator('#error-summary').waitFor({ state: 'visible' });
    expect(await about.getByLabel('First name').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#field-individual-firstName-error').textContent()).toContain(
      'firstName',
    );
    expect(
      await page
        .getByRole('group', { name: 'Bank account for payouts' })
        .getByLabel('Account holder name')
        .getAttribute('aria-invalid'),
    ).toBe('true');
    await about.getByLabel('First name').fill('Sam');
    await about.getByLabel('Last name').fill('Seller');
    await about.getByLabel('Email', { exact: true }).fill('sam@example.com');
    await about.getByLabel('Phone number').fill('0000000000');
    await about.getByLabel('Date of birth').fill('1901-01-01');
    await about.getByLabel('Address line 1').fill('address_full_match');
    await about.getByLabel('City').fill('San Francisco');
    await about.getByLabel('State').selectOption('CA');
    await about.getByLabel('ZIP code').fill('94103');
    await about.getByLabel('Last 4 digits of the Social Security number').fill('0000');
    const bank = page.getByRole('group', { name: 'Bank account for payouts' });
    await bank.getByLabel('Account holder name').fill('Sam Seller');
    await bank.getByLabel('Routing number').fill('110000000');
    await bank.getByLabel('Account number').fill('000123456789');
    await page.getByLabel('Merchant category code').fill('5734');
    await page.getByLabel('Website').fill('https://accessible.stripe.com');
    await page.getByLabel("I accept Stripe's Connected Account Agreement").check();
    await shot(page, 'us-individual-1-form');

    await page.getByRole('button', { name: 'Create my seller account' }).click();
    await page.waitForURL(/\/onboarding\/acct_/);
    await expect.poll(() => status(page, 'Charges enabled')).toBe('Yes');
    expect(await status(page, 'Payouts enabled')).toBe('Yes');
    expect(await page.locator('#verification-outcome').textContent()).toContain('Verified');
    expect(await page.locator('#followup-intro').textContent()).toContain('Nothing is needed now');
    await shot(page, 'us-individual-2-charges-enabled');

    // The account is listed on the start page.
    await page.getByRole('link', { name: '← All your accounts' }).click();
    await expect.poll(() => page.locator('#accounts').textContent()).toContain('Ready');
  });

  it('shows a DE company its bad IBAN at the IBAN field, and takes the correction', async () => {
    const page = await signedIn('browser-de-company');
    await choose(page, 'Germany', 'A company');
    const business = page.getByRole('group', { name: 'The business' });
    await business.getByLabel('Company name').fill('Beispiel GmbH');
    await business.getByLabel('Company tax id').fill('000000000');
    await business.getByLabel('Company phone number').fill('0000000000');
    await business.getByLabel('Address line 1').fill('address_full_match');
    await business.getByLabel('City').fill('Berlin');
    await business.getByLabel('Postal code').fill('10115');
    const person = page.getByRole('group', { name: "The company's representative" });
    await person.getByLabel('First name').fill('Erika');
    await person.getByLabel('Last name').fill('Mustermann');
    await person.getByLabel('Email', { exact: true }).fill('erika@example.com');
    await person.getByLabel('Phone number').fill('0000000000');
    await person.getByLabel('Date of birth').fill('1901-01-01');
    await person.getByLabel('Address line 1').fill('address_full_match');
    await person.getByLabel('City').fill('Berlin');
    await person.getByLabel('Postal code').fill('10115');
    await person.getByLabel('Job title').fill('CEO');
    const bank = page.getByRole('group', { name: 'Bank account for payouts' });
    await bank.getByLabel('Account holder name').fill('Beispiel GmbH');
    // Stripe's German test IBAN with its last digit changed: the mod-97 check fails.
    await bank.getByLabel('IBAN').fill('DE89 3704 0044 0532 0130 01');
    await page.getByLabel('Merchant category code').fill('5734');
    await page.getByLabel('Website').fill('https://accessible.stripe.com');
    await page.getByLabel("I accept Stripe's Connected Account Agreement").check();
    await page.getByRole('button', { name: 'Create my seller account' }).click();

    const summary = page.locator('#error-summary');
    await summary.waitFor({ state: 'visible' });
    await expect.poll(() => focused(page)).toBe('error-summary');
    const iban = bank.getByLabel('IBAN');
    expect(await iban.getAttribute('aria-invalid')).toBe('true');
    const ibanError = page.locator('#field-bankAccount-iban-error');
    expect(await ibanError.textContent()).toContain('not a valid DE IBAN');
    expect(await iban.getAttribute('aria-describedby')).toContain('field-bankAccount-iban-error');
    expect(await summary.locator('li').count()).toBe(1);
    expect(page.url()).toBe(`${base}/onboarding?country=DE&businessType=company`);
    await shot(page, 'de-company-1-bad-iban');

    // The summary's link takes the keyboard to the field.
    await summary.getByRole('link').press('Enter');
    await expect.poll(() => focused(page)).toBe('field-bankAccount-iban');
    await iban.fill('DE89 3704 0044 0532 0130 00');
    await page.getByRole('button', { name: 'Create my seller account' }).click();
    await page.waitForURL(/\/onboarding\/acct_/);
    await page.locator('#account-status dl').waitFor();
    expect(await status(page, 'Country')).toBe('DE');
    await shot(page, 'de-company-2-created');

    expect(await status(page, 'Charges enabled')).toBe('No');
    expect(await status(page, 'Why it is restricted')).toBe('Information Stripe needs is overdue');
    // What the company still owes Stripe is asked for on the follow-up form: a German company names its
    // owners, directors and executives, or says it has none beyond the representative.
    await page.getByRole('group', { name: 'An owner of the company (25% or more)' }).waitFor();
    await page.getByRole('group', { name: 'A director of the company' }).waitFor();
    await page.getByLabel(/I have named every owner/).check();
    await page.getByLabel(/I have named every director/).check();
    await page.getByLabel(/I have named every executive/).check();
    await page.getByRole('button', { name: 'Send to Stripe' }).click();
    await expect
      .poll(() => page.locator('#status-message').textContent())
      .toContain('sent to Stripe');
    expect(await status(page, 'Charges enabled')).toBe('Yes');
    expect(await status(page, 'Payouts enabled')).toBe('Yes');
    await shot(page, 'de-company-3-charges-enabled');
  });

  it('takes a GB company from restricted to enabled by naming its owner and director on the follow-up form', async () => {
    const page = await signedIn('browser-gb-company');
    await choose(page, 'United Kingdom', 'A company');
    const business = page.getByRole('group', { name: 'The business' });
    await business.getByLabel('Company name').fill('Example Ltd');
    await business.getByLabel('Company tax id').fill('000000000');
    await business.getByLabel('Company phone number').fill('+442071234567');
    await business.getByLabel('Address line 1').fill('address_full_match');
    await business.getByLabel('City').fill('London');
    await business.getByLabel('Postal code').fill('SW1A 1AA');
    const person = page.getByRole('group', { name: "The company's representative" });
    await person.getByLabel('First name').fill('Rita');
    await person.getByLabel('Last name').fill('Rep');
    await person.getByLabel('Email', { exact: true }).fill('rita@example.com');
    await person.getByLabel('Phone number').fill('+447700900000');
    await person.getByLabel('Date of birth').fill('1901-01-01');
    await person.getByLabel('Address line 1').fill('address_full_match');
    await person.getByLabel('City').fill('London');
    await person.getByLabel('Postal code').fill('SW1A 1AA');
    await person.getByLabel('Job title').fill('Managing director');
    const bank = page.getByRole('group', { name: 'Bank account for payouts' });
    await bank.getByLabel('Account holder name').fill('Example Ltd');
    await bank.getByLabel('Sort code').fill('10-88-00');
    await bank.getByLabel('Account number').fill('00012345');
    await page.getByLabel('Merchant category code').fill('5734');
    await page.getByLabel('Website').fill('https://accessible.stripe.com');
    await page.getByLabel("I accept Stripe's Connected Account Agreement").check();
    await page.getByRole('button', { name: 'Create my seller account' }).click();
    await page.waitForURL(/\/onboarding\/acct_/);
    await page.locator('#account-status dl').waitFor();
    expect(await status(page, 'Charges enabled')).toBe('No');

    const owner = page.getByRole('group', { name: 'An owner of the company (25% or more)' });
    const director = page.getByRole('group', { name: 'A director of the company' });
    await owner.waitFor();
    await shot(page, 'gb-company-1-persons-asked');
    // Half an owner: each missing field of the section is named next to it, nothing is saved.
    await owner.getByLabel("The owner's first name").fill('Otto');
    await page.getByRole('button', { name: 'Send to Stripe' }).click();
    await page.locator('#error-summary').waitFor({ state: 'visible' });
    expect(await owner.getByLabel("The owner's last name").getAttribute('aria-invalid')).toBe(
      'true',
    );
    await shot(page, 'gb-company-2-half-an-owner');

    await owner.getByLabel("The owner's last name").fill('Owner');
    await owner.getByLabel("The owner's email").fill('otto@example.com');
    await owner.getByLabel("The owner's date of birth").fill('1901-01-01');
    await owner.getByLabel(/line 1/).fill('address_full_match');
    await owner.getByLabel(/City/).fill('London');
    await owner.getByLabel(/Postal code/).fill('SW1A 1AA');
    await owner.getByLabel("The owner's percent ownership").fill('100');
    await director.getByLabel("The director's first name").fill('Dora');
    await director.getByLabel("The director's last name").fill('Director');
    await director.getByLabel("The director's email").fill('dora@example.com');
    await director.getByLabel("The director's date of birth").fill('1902-01-01');
    await page.getByLabel(/I have named every owner/).check();
    await page.getByLabel(/I have named every director/).check();
    await page.getByRole('button', { name: 'Send to Stripe' }).click();
    await expect
      .poll(() => page.locator('#status-message').textContent())
      .toContain('sent to Stripe');
    expect(await status(page, 'Charges enabled')).toBe('Yes');
    expect(await status(page, 'Payouts enabled')).toBe('Yes');
    expect(await page.locator('#verification-outcome').textContent()).toContain('Verified');
    await shot(page, 'gb-company-3-charges-enabled');
  });

  it('asks for a document when the id number fails, previews the PNG, and ends verified after review', async () => {
    const page = await signedIn('browser-id-mismatch');
    await choose(page, 'United States', 'An individual');
    const about = page.getByRole('group', { name: 'About you' });
    await about.getByLabel('First name').fill('Jenny');
    await about.getByLabel('Last name').fill('Rosen');
    await about.getByLabel('Email', { exact: true }).fill('jenny@example.com');
    await about.getByLabel('Phone number').fill('0000000000');
    await about.getByLabel('Date of birth').fill('1901-01-01');
    await about.getByLabel('Address line 1').fill('address_full_match');
    await about.getByLabel('City').fill('San Francisco');
    await about.getByLabel('State').selectOption('CA');
    await about.getByLabel('ZIP code').fill('94103');
    // Stripe's test id number that fails the identity match.
    await about.getByLabel('Social Security number', { exact: true }).fill('111111111');
    const bank = page.getByRole('group', { name: 'Bank account for payouts' });
    await bank.getByLabel('Account holder name').fill('Jenny Rosen');
    await bank.getByLabel('Routing number').fill('110000000');
    await bank.getByLabel('Account number').fill('000123456789');
    await page.getByLabel('Merchant category code').fill('5734');
    await page.getByLabel('Website').fill('https://accessible.stripe.com');
    await page.getByLabel("I accept Stripe's Connected Account Agreement").check();
    await page.getByRole('button', { name: 'Create my seller account' }).click();
    await page.waitForURL(/\/onboarding\/acct_/);

    const document = page.getByLabel('Your identity document');
    await document.waitFor();
    expect(await page.locator('#followup-intro').textContent()).toContain(
      'The id number does not match the name and date of birth.',
    );
    expect(await status(page, 'Charges enabled')).toBe('No');
    await shot(page, 'id-mismatch-1-follow-up-form');

    await document.setInputFiles({
      name: 'passport.png',
      mimeType: 'image/png',
      buffer: identityCardPng(),
    });
    const preview = page.getByRole('img', { name: 'Preview of passport.png' });
    await preview.waitFor();
    expect(
      await preview.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
    ).toBe(320);
    await shot(page, 'id-mismatch-2-document-preview');

    await page.getByRole('button', { name: 'Send to Stripe' }).click();
    await expect
      .poll(() => page.locator('#status-message').textContent())
      .toContain('sent to Stripe');
    expect(await status(page, 'Being verified by Stripe')).toBe('individual.verification.document');
    expect(await page.locator('#verification-outcome').textContent()).toContain('Not verified');
    expect(await page.locator('#followup-form').isHidden()).toBe(true);
    await shot(page, 'id-mismatch-3-pending-review');

    // Stripe's review ends on the sandbox's clock; its account.updated reaches the app before this answers.
    await new SandboxClient(t.app.get(EmbeddedSandbox).url).advance(10 * 60);
    await page.getByRole('button', { name: 'Check again' }).click();
    await expect
      .poll(() => page.locator('#verification-outcome').textContent())
      .toContain('Verified');
    expect(await status(page, 'Charges enabled')).toBe('Yes');
    expect(await status(page, 'Payouts enabled')).toBe('Yes');
    await shot(page, 'id-mismatch-4-verified');
  });

  it('sends an Express seller to Stripe’s hosted onboarding and back to the account’s page', async () => {
    const page = await signedIn('browser-express');
    const hosted = page.getByRole('region', { name: 'Or let Stripe collect your details' });
    await hosted.getByLabel('Country').selectOption({ label: 'United States' });
    const sandboxPage = page.waitForRequest((r) => r.url().includes('/_sandbox/onboarding/'));
    await hosted.getByRole('button', { name: 'Express account on Stripe' }).click();
    await sandboxPage;
    await page.waitForURL(/\/onboarding\/acct_/);
    await page.locator('#account-status dl').waitFor();
    expect(await status(page, 'Account type')).toBe('express');
    expect(await status(page, 'Details submitted')).toBe('Yes');
    expect(await page.locator('#followup-intro').textContent()).toContain(
      'Stripe collects this account’s details on its own pages',
    );
    expect(await page.getByRole('button', { name: 'Open the Express dashboard' }).count()).toBe(1);
    await shot(page, 'express-1-back-from-stripe');
  });

  it('refuses a sign-in link signed with another secret, and shows the sign-in notice without a session', async () => {
    const context = await browser.newContext({ viewport: PHONE });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(
      onboardingSignInUrl(base, await signLoginToken('another-secret-0123456789-abcdef', 'eve')),
    );
    await page.locator('#signed-out').waitFor({ state: 'visible' });
    expect(await page.locator('#signed-out').textContent()).toContain('invalid or has expired');
    expect(page.url()).toBe(`${base}/onboarding/sign-in`);
    const shell = await page.goto(`${base}/onboarding`);
    const csp = shell?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    await page.locator('#signed-out').waitFor({ state: 'visible' });
    expect(await page.locator('#app').isHidden()).toBe(true);
    // A bearer token of the API is not a sign-in token either.
    const bearer = await t.token('eve');
    const exchange = await page.request.post(`${base}/onboarding/session`, {
      data: { token: bearer },
    });
    expect(exchange.status()).toBe(401);
  });
});
