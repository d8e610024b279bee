/** The initial onboarding form of a US individual with Stripe's test values: enabled at once. */
export function sellerForm(accountNumber = '000123456789') {
  return {
    country: 'US',
    businessType: 'individual',
    individual: {
      firstName: 'Sam',
      lastName: 'Seller',
      email: 'sam@example.com',
      phone: '0000000000',
      dob: { day: 1, month: 1, year: 1901 },
      address: {
        line1: 'address_full_match',
        city: 'San Francisco',
        state: 'CA',
        postalCode: '94103',
      },
      ssnLast4: '0000',
    },
    bankAccount: { accountHolderName: 'Sam Seller', routingNumber: '110000000', accountNumber },
    businessProfile: { mcc: '5734', url: 'https://accessible.stripe.com' },
    tosAccepted: true,
  };
}
