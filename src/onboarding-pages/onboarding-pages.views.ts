/**
 * The onboarding pages' HTML: plain server-rendered shells (layout, the country and business type chooser)
 * that the page script fills from the REST routes with the signed-in user's bearer token. No inline script or
 * style, so a strict Content-Security-Policy (`script-src 'self'`) holds. Pure functions.
 */
import type { CountrySummary } from '../stripe-connect/index.js';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ESCAPES[char]);
}

function layout(
  title: string,
  page: string,
  body: string,
  data: Record<string, string> = {},
): string {
  const attributes = Object.entries({ page, ...data })
    .map(([key, value]) => ` data-${key}="${escapeHtml(value)}"`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} · Seller onboarding</title>
<link rel="stylesheet" href="/onboarding/assets/onboarding.css">
<script type="module" src="/onboarding/assets/onboarding.js"></script>
</head>
<body${attributes}>
<a class="skip-link" href="#main">Skip to the content</a>
<header class="site-header">
  <a class="brand" href="/onboarding">Seller onboarding</a>
  <div class="who"><span id="signed-in-as"></span> <button type="button" id="sign-out" class="link-button" hidden>Sign out</button></div>
</header>
<main id="main" tabindex="-1">
<div id="signed-out" class="notice" hidden>
  <h1>Sign in to continue</h1>
  <p>You are not signed in, or your session has ended. Ask for a sign-in link: on the server, run
  <code>npm run cli -- onboarding-url &lt;your user id&gt;</code> and open the link it prints.</p>
</div>
<div id="status-message" class="status-message" role="status" aria-live="polite"></div>
<div id="app" hidden>
${body}
</div>
</main>
</body>
</html>
`;
}

function errorSummary(): string {
  return `<div class="error-summary" id="error-summary" role="alert" tabindex="-1" hidden>
  <h2>There is a problem</h2>
  <ul></ul>
</div>`;
}

export interface StartPageInput {
  countries: CountrySummary[];
  country?: CountrySummary;
  businessType?: 'individual' | 'company';
}

function countryOptions(countries: CountrySummary[], selected?: string): string {
  return countries
    .map(
      (c) =>
        `<option value="${c.country}"${c.country === selected ? ' selected' : ''}>${escapeHtml(c.name)}</option>`,
    )
    .join('');
}

/** `/onboarding`: the user's accounts, the custom-account form for a chosen country, hosted onboarding. */
export function startPage({ countries, country, businessType }: StartPageInput): string {
  const chosen = country && businessType;
  const typeRadio = (value: string, label: string) =>
    `<div class="choice"><input type="radio" name="businessType" id="type-${value}" value="${value}"${(businessType ?? 'individual') === value ? ' checked' : ''}><label for="type-${value}">${label}</label></div>`;
  const initial = chosen
    ? `<section aria-labelledby="initial-heading" class="card">
  <h2 id="initial-heading">Your details: ${businessType === 'company' ? 'a company' : 'an individual'} in ${escapeHtml(country.name)}</h2>
  <p class="lead">Fields marked <span aria-hidden="true">*</span><span class="visually-hidden">required</span> are required. Stripe verifies what you enter.</p>
  ${errorSummary()}
  <form id="initial-form" data-country="${country.country}" data-business-type="${businessType}" novalidate>
    <div id="initial-fields" aria-busy="true"><p>Loading the form…</p></div>
    <button type="submit" class="primary">Create my seller account</button>
  </form>
</section>`
    : '';
  return layout(
    'Become a seller',
    'start',
    `<h1>Become a seller</h1>
<section aria-labelledby="accounts-heading" class="card">
  <h2 id="accounts-heading">Your seller accounts</h2>
  <div id="accounts" aria-busy="true"><p>Loading…</p></div>
</section>
<section aria-labelledby="custom-heading" class="card">
  <h2 id="custom-heading">Open an account here</h2>
  <p>Enter your details on this site; your payouts go to your bank account.</p>
  <form method="get" action="/onboarding" class="chooser">
    <div class="field">
      <label for="country">Country</label>
      <select id="country" name="country">${countryOptions(countries, country?.country ?? 'US')}</select>
    </div>
    <fieldset class="field">
      <legend>You sell as</legend>
      ${typeRadio('individual', 'An individual')}
      ${typeRadio('company', 'A company')}
    </fieldset>
    <button type="submit"${chosen ? '' : ' class="primary"'}>${chosen ? 'Change' : 'Continue'}</button>
  </form>
</section>
${initial}
<section aria-labelledby="hosted-heading" class="card">
  <h2 id="hosted-heading">Or let Stripe collect your details</h2>
  <p>Stripe's own pages ask for your details; you come back here when done.</p>
  <form id="hosted-form" class="chooser" novalidate>
    <div class="field">
      <label for="hosted-country">Country</label>
      <select id="hosted-country" name="country">${countryOptions(countries, country?.country ?? 'US')}</select>
    </div>
    <div class="buttons">
      <button type="submit" name="type" value="express">Express account on Stripe</button>
      <button type="submit" name="type" value="standard">Standard account on Stripe</button>
      <button type="button" id="oauth-connect" class="secondary">Connect an existing Stripe account</button>
    </div>
  </form>
</section>`,
  );
}

/** `/onboarding/:account`: the account's status and the follow-up form of what Stripe needs. */
export function accountPage(accountId: string): string {
  return layout(
    `Account ${accountId}`,
    'account',
    `<p><a href="/onboarding">← All your accounts</a></p>
<h1>Seller account <span class="account-id">${escapeHtml(accountId)}</span></h1>
<section aria-labelledby="status-heading" class="card">
  <h2 id="status-heading">Status</h2>
  <div id="account-status" aria-busy="true"><p>Loading…</p></div>
  <button type="button" id="refresh" class="secondary">Check again</button>
</section>
<section aria-labelledby="followup-heading" class="card" id="followup">
  <h2 id="followup-heading">What Stripe needs from you</h2>
  ${errorSummary()}
  <div id="followup-intro"></div>
  <form id="followup-form" novalidate hidden>
    <div id="followup-fields"></div>
    <button type="submit" class="primary">Send to Stripe</button>
  </form>
  <div id="hosted-links"></div>
</section>`,
    { account: accountId },
  );
}

/** `/onboarding/sign-in#token=…`: exchanges the one-time token for a session, then goes on to `/onboarding`. */
export function signInPage(): string {
  return layout(
    'Signing in',
    'sign-in',
    `<h1>Signing you in…</h1>
<p id="sign-in-progress">One moment.</p>`,
  );
}
