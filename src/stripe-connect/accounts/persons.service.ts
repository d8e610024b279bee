/**
 * The persons of a company account (representative, owners, directors, executives), added and removed by the
 * account's owner through the platform, so that a company's `requirements` (`relationship.*`, `owners.*`,
 * `directors.*`) can be met.
 */
import { Injectable, Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import { FormValidationError, StripeConnectError } from '../common/stripe-connect.errors.js';
import { InjectStripeClient } from '../stripe/inject-stripe-client.decorator.js';
import { callStripe } from '../stripe/stripe-errors.js';
import { stripeTimeOf } from '../stripe/stripe-time.js';
import type { StripeConnectUser } from '../stripe-connect.options.js';
import { AccountsRepository } from './accounts.repository.js';
import { AccountsService } from './accounts.service.js';
import type { CreatePersonDto } from './dto/company-person.dto.js';
import { personParams, validatePerson } from './onboarding-validation.js';
import type { Person } from './person.entity.js';

export class PersonNotFoundError extends StripeConnectError {
  readonly status = 404;
  readonly code = 'person_not_found';
  constructor(id: string) {
    super(`No such person: ${id}`);
  }
}

@Injectable()
export class PersonsService {
  private readonly logger = new Logger(PersonsService.name);

  constructor(
    @InjectStripeClient() private readonly stripe: Stripe,
    private readonly accounts: AccountsService,
    private readonly repository: AccountsRepository,
  ) {}

  /** The company's persons, from the mirror. */
  async list(user: StripeConnectUser, accountId: string): Promise<Person[]> {
    await this.accounts.get(user, accountId);
    return this.repository.persons(accountId);
  }

  async create(
    user: StripeConnectUser,
    accountId: string,
    form: CreatePersonDto,
    idempotencyKey?: string,
  ): Promise<Person> {
    const account = await this.accounts.get(user, accountId);
    if (account.type !== 'custom' || account.businessType === 'individual') {
      throw new FormValidationError({
        relationship: ['persons are added to custom accounts of companies'],
      });
    }
    const country = account.country ?? 'US';
    const errors = validatePerson(country, form);
    if (Object.keys(errors).length) throw new FormValidationError(errors);
    const { relationship } = form;
    const person = await callStripe(
      () =>
        this.stripe.accounts.createPerson(
          accountId,
          {
            ...personParams(country, form),
            relationship: {
              ...(relationship.representative !== undefined
                ? { representative: relationship.representative }
                : {}),
              ...(relationship.owner !== undefined ? { owner: relationship.owner } : {}),
              ...(relationship.director !== undefined ? { director: relationship.director } : {}),
              ...(relationship.executive !== undefined
                ? { executive: relationship.executive }
                : {}),
              ...(relationship.title ? { title: relationship.title } : {}),
              ...(relationship.percentOwnership !== undefined
                ? { percent_ownership: relationship.percentOwnership }
                : {}),
            },
          },
          idempotencyKey
            ? { idempotencyKey: `connect-person:${user.id}:${accountId}:${idempotencyKey}` }
            : {},
        ),
      { id_number: 'idNumber', ssn_last_4: 'ssnLast4', relationship: 'relationship' },
    );
    await this.repository.savePerson(person);
    await this.refresh(accountId);
    this.logger.log(`person ${person.id} added to ${accountId}`);
    return (await this.repository.persons(accountId)).find((p) => p.id === person.id)!;
  }

  async remove(user: StripeConnectUser, accountId: string, personId: string): Promise<void> {
    await this.accounts.get(user, accountId);
    const known = await this.repository.persons(accountId);
    if (!known.some((p) => p.id === personId)) throw new PersonNotFoundError(personId);
    const deleted = await callStripe(() => this.stripe.accounts.deletePerson(accountId, personId));
    await this.repository.deletePerson(personId, stripeTimeOf(deleted));
    await this.refresh(accountId);
    this.logger.log(`person ${personId} removed from ${accountId}`);
  }

  /** The account's requirements change with its persons: its snapshot afresh. */
  private async refresh(accountId: string): Promise<void> {
    const fresh = await callStripe(() => this.stripe.accounts.retrieve(accountId));
    await this.repository.saveSnapshot(fresh);
  }
}
