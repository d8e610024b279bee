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

export function registerRequirementTasks(sandbox: StripeSandbox): void {
  sandbox.onTask('requirements_due', (task) => requirementsDue(sandbox, task));
  sandbox.onTask('requirements_deadline', (task) => requirementsDeadline(sandbox, task));
}
