/**
 * What the sandbox knows of each country it supports: currencies an account there may hold, whether
 * addresses carry a state, and which national id Stripe asks of an individual at onboarding.
 */
export interface SandboxCountry {
  defaultCurrency: string;
  currencies: string[];
  hasState: boolean;
  /** `ssn_last_4` (US) or `id_number`, due at onboarding; null where Stripe asks none up front. */
  individualId: 'ssn_last_4' | 'id_number' | null;
  bank: 'us' | 'ca' | 'gb' | 'au' | 'iban';
}

const SEPA = ['AT', 'BE', 'DE', 'ES', 'FI', 'FR', 'IE', 'IT', 'LU', 'NL', 'PT'];

export const SANDBOX_COUNTRIES: Record<string, SandboxCountry> = {
  US: {
    defaultCurrency: 'usd',
    currencies: ['usd'],
    hasState: true,
    individualId: 'ssn_last_4',
    bank: 'us',
  },
  CA: {
    defaultCurrency: 'cad',
    currencies: ['cad', 'usd'],
    hasState: true,
    individualId: 'id_number',
    bank: 'ca',
  },
  GB: {
    defaultCurrency: 'gbp',
    currencies: ['gbp', 'eur', 'usd'],
    hasState: false,
    individualId: null,
    bank: 'gb',
  },
  AU: {
    defaultCurrency: 'aud',
    currencies: ['aud'],
    hasState: true,
    individualId: null,
    bank: 'au',
  },
  ...Object.fromEntries(
    SEPA.map((code) => [
      code,
      {
        defaultCurrency: 'eur',
        currencies: ['eur'],
        hasState: false,
        individualId: null,
        bank: 'iban',
      },
    ]),
  ),
};

/** Capabilities the sandbox accepts in `capabilities[…][requested]`. */
export const CAPABILITIES = [
  'acss_debit_payments',
  'affirm_payments',
  'afterpay_clearpay_payments',
  'au_becs_debit_payments',
  'bacs_debit_payments',
  'bancontact_payments',
  'bank_transfer_payments',
  'card_issuing',
  'card_payments',
  'cartes_bancaires_payments',
  'eps_payments',
  'giropay_payments',
  'ideal_payments',
  'jcb_payments',
  'klarna_payments',
  'legacy_payments',
  'link_payments',
  'p24_payments',
  'sepa_debit_payments',
  'sofort_payments',
  'tax_reporting_us_1099_k',
  'tax_reporting_us_1099_misc',
  'transfers',
  'treasury',
  'us_bank_account_ach_payments',
];
