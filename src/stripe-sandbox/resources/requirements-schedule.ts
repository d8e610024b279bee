/**
 * Verification asked later in a custom account's life, on the sandbox clock: currently due after a while,
 * past due (disabling) after its deadline.
 */
import type { ScheduledTask } from '../sandbox.store.js';
import type { StripeSandbox } from '../stripe-sandbox.js';
import { stateOf, type AccountData } from './account-data.js';
import { changingAccount } from './account-changes.js';
import {
  DEADLINE_GRACE_SECONDS,
  DOCUMENT_REVIEW_SECONDS,
  LATER_VERIFICATION_AFTER_SECONDS,
  laterFields,
} from './account-requirements.js';

/** Schedules the later verification of a new custom account. */
export function scheduleLaterRequirements(sandbox: StripeSandbox, account: AccountData): void {
  sandbox.scheduleTask('requirements_due', account.created + LATER_VERIFICATION_AFTER_SECONDS, {
    account: account.id,
  });
}

function requirementsDue(sandbox: StripeSandbox, task: ScheduledTask): void {
  const stored = sandbox.store.get<AccountData>(String(task.payload.account));
  if (!stored || stored.data.deleted || (stored.data.later_phase ?? 'none') !== 'none') return;
  if (!laterFields(stateOf(sandbox.store, stored.data)).length) return;
  changingAccount(sandbox, null, stored, () => {
    const deadline = sandbox.clock.now() + DEADLINE_GRACE_SECONDS;
    stored.data = { ...stored.data, later_phase: 'due', deadline };
    sandbox.store.save(stored);
    sandbox.scheduleTask('requirements_deadline', deadline, { account: stored.id });
  });
}

function requirementsDeadline(sandbox: StripeSandbox, task: ScheduledTask): void {
  const stored = sandbox.store.get<AccountData>(String(task.payload.account));
  if (!stored || stored.data.deleted || stored.data.later_phase !== 'due') return;
  changingAccount(sandbox, null, stored, () => {
    const stillDue = laterFields(stateOf(sandbox.store, stored.data)).length > 0;
    stored.data = { ...stored.data, later_phase: stillDue ? 'past_due' : 'none' };
    sandbox.store.save(stored);
  });
}

/**
 * An identity document for an individual whose id number did not match goes to review; the clock ends it.
 * Called with the account before (`data`) and after (`next`) an update.
 */
export function scheduleDocumentReview(
  sandbox: StripeSandbox,
  data: AccountData,
  next: AccountData,
): void {
  const front = (holder: Record<string, unknown> | null | undefined) =>
    (holder?.verification as { document?: { front?: unknown } } | undefined)?.document?.front;
  const uploaded = front(next.individual);
  if (
    next.individual?.id_number_mismatch === true &&
    typeof uploaded === 'string' &&
    !uploaded.startsWith('file_identity_document_') &&
    uploaded !== front(data.individual)
  ) {
    next.document_review_until = sandbox.clock.now() + DOCUMENT_REVIEW_SECONDS;
    sandbox.scheduleTask('document_review', next.document_review_until, { account: data.id });
  }
}

/** The review of an identity document ends: it matches the identity, so the id number no longer fails. */
function documentReviewed(sandbox: StripeSandbox, task: ScheduledTask): void {
  const stored = sandbox.store.get<AccountData>(String(task.payload.account));
  if (!stored || stored.data.deleted || typeof stored.data.document_review_until !== 'number')
    return;
  changingAccount(sandbox, null, stored, () => {
    stored.data = {
      ...stored.data,
      individual: stored.data.individual
        ? { ...stored.data.individual, id_number_mismatch: false }
        : null,
      document_review_until: null,
    };
    sandbox.store.save(stored);
  });
}

export function registerRequirementTasks(sandbox: StripeSandbox): void {
  sandbox.onTask('document_review', (task) => documentReviewed(sandbox, task));
  sandbox.onTask('requirements_due', (task) => requirementsDue(sandbox, task));
  sandbox.onTask('requirements_deadline', (task) => requirementsDeadline(sandbox, task));
}
