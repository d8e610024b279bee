import type { InitialCustomAccountDto } from '../stripe-connect/index.js';

/**
 * Stripe's test-mode values (docs.stripe.com/testing, /connect/testing, /connect/testing-verification), as
 * named constants. The sandbox of `nest-stripe-connect/testing` answers them as Stripe's test mode does.
 */

/** PaymentMethods of Stripe's test cards, for `paymentMethod` of a charge. */
export const TEST_PAYMENT_METHODS = {
  /** Succeeds; the funds go to the pending balance (available two days later on the sandbox clock). */
  visa: 'pm_card_visa',
  mastercard: 'pm_card_mastercard',
  amex: 'pm_card_amex',
  /** Succeeds and the funds are available at once: the card to fund transfers and payouts in a test. */
  bypassPending: 'pm_card_bypassPending',
  /** Declined: `card_declined` / `generic_decline`. */
  declined: 'pm_card_visa_chargeDeclined',
  /** Declined: `card_declined` / `insufficient_funds`. */
  insufficientFunds: 'pm_card_visa_chargeDeclinedInsufficientFunds',
  /** Declined: `card_declined` / `lost_card`. */
  lostCard: 'pm_card_visa_chargeDeclinedLostCard',
  /** Declined: `card_declined` / `stolen_card`. */
  stolenCard: 'pm_card_visa_chargeDeclinedStolenCard',
  /** Declined: `expired_card`. */
  expiredCard: 'pm_card_chargeDeclinedExpiredCard',
  /** Declined: `processing_error`. */
  processingError: 'pm_card_chargeDeclinedProcessingError',
} as const;

/** Card numbers of Stripe's test cards (any future expiry, any CVC). */
export const TEST_CARD_NUMBERS = {
  visa: '4242424242424242',
  mastercard: '5555555555554444',
  bypassPending: '4000000000000077',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995',
  /** On a Connect charge: moves the account's later verification requirements to currently due. */
  triggerNextRequirements: '4000000000004202',
} as const;

/** US test bank accounts (routing number 110000000) and what a payout to each does. */
export const TEST_US_BANK_ACCOUNTS = {
  routingNumber: '110000000',
  /** Payouts are paid. */
  success: '000123456789',
  /** Payouts fail with `no_account`. */
  noAccount: '000111111116',
  /** Payouts fail with `account_closed`. */
  accountClosed: '000111111113',
  /** Payouts fail with `insufficient_funds`. */
  insufficientFunds: '000222222227',
  /** Payouts fail with `debit_not_authorized`. */
  debitNotAuthorized: '000333333335',
  /** Payouts fail with `invalid_currency`. */
  invalidCurrency: '000444444440',
  /** Instant payouts are refused. */
  instantPayoutsUnsupported: '000888888883',
} as const;

/** Test bank accounts of other countries whose payouts are paid. */
export const TEST_BANK_ACCOUNTS = {
  CA: { transitNumber: '11000', institutionNumber: '000', accountNumber: '000123456789' },
  GB: { sortCode: '108800', accountNumber: '00012345' },
  AU: { bsb: '110000', accountNumber: '000123456' },
  /** German test IBANs; the same pattern works with the other SEPA countries. */
  DE: {
    success: 'DE89370400440532013000',
    noAccount: 'DE62370400440532013001',
    accountClosed: 'DE35370400440532013002',
  },
} as const;

/** Identity values Stripe's test mode verifies (or refuses) at once. */
export const TEST_IDENTITY = {
  /** Dates of birth: `verified` passes; any other date fails, `ofacAlert` raises a sanctions alert. */
  dob: {
    verified: { day: 1, month: 1, year: 1901 },
    verifiedImmediately: { day: 1, month: 1, year: 1902 },
    ofacAlert: { day: 1, month: 1, year: 1900 },
  },
  /** Address `line1` tokens (with a real city, state and postal code). */
  addressLine1: {
    fullMatch: 'address_full_match',
    noMatch: 'address_no_match',
    line1NoMatch: 'address_line1_no_match',
  },
  /** Personal id numbers (`id_number`). */
  idNumber: { success: '000000000', mismatch: '111111111', successImmediately: '222222222' },
  ssnLast4: '0000',
  /** Company tax ids. */
  taxId: { success: '000000000', mismatch: '111111111', notIssued: '111111112' },
  /** A phone number that passes validation. */
  phone: '0000000000',
  /** Business URLs: `valid` passes, `denylisted` is refused. */
  businessUrl: {
    valid: 'https://accessible.stripe.com',
    denylisted: 'https://disallowed.stripe.com',
  },
  /** File tokens of an identity document that verifies, and of one that does not. */
  document: {
    success: 'file_identity_document_success',
    failure: 'file_identity_document_failure',
  },
} as const;

/**
 * The body of `POST /connect/accounts/custom` (the library's initial form) for a US individual with the test
 * values above: the account is `charges_enabled` and `payouts_enabled` at once. `accountNumber` picks what its
 * payouts do (`TEST_US_BANK_ACCOUNTS`).
 */
export function testCustomAccountForm(
  options: { accountNumber?: string; email?: string; name?: { first: string; last: string } } = {},
): InitialCustomAccountDto {
  const name = options.name ?? { first: 'Jenny', last: 'Rosen' };
  return {
    country: 'US',
    businessType: 'individual',
    tosAccepted: true,
    individual: {
      firstName: name.first,
      lastName: name.last,
      email: options.email ?? 'jenny.rosen@example.com',
      phone: TEST_IDENTITY.phone,
      dob: TEST_IDENTITY.dob.verified,
      ssnLast4: TEST_IDENTITY.ssnLast4,
      address: {
        line1: TEST_IDENTITY.addressLine1.fullMatch,
        city: 'San Francisco',
        state: 'CA',
        postalCode: '94103',
      },
    },
    bankAccount: {
      accountHolderName: `${name.first} ${name.last}`,
      routingNumber: TEST_US_BANK_ACCOUNTS.routingNumber,
      accountNumber: options.accountNumber ?? TEST_US_BANK_ACCOUNTS.success,
    },
    businessProfile: { mcc: '5734', url: TEST_IDENTITY.businessUrl.valid },
  };
}
