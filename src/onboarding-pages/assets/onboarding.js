// The onboarding pages' script: served as it is (no build step). It keeps the session's bearer token in
// sessionStorage, calls the library's REST routes with it, renders the forms from their descriptions, and
// shows each field's errors from a 400 answer next to the field and in a summary at the top.

const TOKEN_KEY = 'onboarding.token';
const USER_KEY = 'onboarding.user';

const $ = (selector, root = document) => root.querySelector(selector);

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') node.textContent = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `The request failed (${status})`);
    this.status = status;
    this.body = body || {};
  }
}

function signedOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(USER_KEY);
  $('#app').hidden = true;
  $('#signed-out').hidden = false;
  $('#sign-out').hidden = true;
  $('#signed-in-as').textContent = '';
}

/** A REST call with the session's bearer token; JSON in and out, or FormData for documents. */
async function api(method, path, body, options = {}) {
  const headers = { Authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY)}` };
  if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
  let payload;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const response = await fetch(path, { method, headers, body: payload });
  const answer = await response.json().catch(() => ({}));
  if (response.status === 401) {
    signedOut();
    throw new ApiError(401, answer);
  }
  if (!response.ok) throw new ApiError(response.status, answer);
  return answer;
}

function announce(message) {
  const region = $('#status-message');
  region.textContent = '';
  if (message) region.append(el('p', { text: message }));
}

// ---------------------------------------------------------------------------------------------------------
// Forms from descriptions: the initial form (`GET /connect/onboarding/countries/:country/form`) and the
// follow-up form (`fields` of `GET /connect/accounts/:id/verification`) share this renderer.

const fieldId = (name) => `field-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;

function inputFor(field, id, describedBy) {
  const common = {
    id,
    name: field.name,
    required: field.required,
    'aria-required': field.required ? 'true' : undefined,
    'aria-describedby': describedBy || undefined,
  };
  if (field.type === 'select') {
    const select = el('select', common, el('option', { value: '', text: 'Choose…' }));
    for (const option of field.options || [])
      select.append(el('option', { value: option.value, text: option.label }));
    return select;
  }
  if (field.type === 'boolean') return el('input', { ...common, type: 'checkbox', value: 'true' });
  if (field.type === 'file') return el('input', { ...common, type: 'file', accept: field.accept });
  const type = { email: 'email', tel: 'tel', url: 'url', date: 'date' }[field.type] || 'text';
  return el('input', {
    ...common,
    type,
    maxlength: field.maxLength,
    autocomplete: field.sensitive ? 'off' : undefined,
    spellcheck: field.sensitive ? 'false' : undefined,
    inputmode: field.pattern && /^\^\\d/.test(field.pattern) ? 'numeric' : undefined,
  });
}

function hintOf(field) {
  const parts = [];
  if (field.hint) parts.push(field.hint);
  if (field.example && field.type !== 'date' && !field.sensitive)
    parts.push(`e.g. ${field.example}`);
  if (field.type === 'file')
    parts.push(
      `JPEG, PNG or PDF, up to ${Math.round((field.maxBytes || 10485760) / 1048576)} MB. A clear colour photo of the whole document.`,
    );
  return parts.join('. ');
}

function renderField(field) {
  const id = fieldId(field.name);
  const hint = hintOf(field);
  const hintId = hint ? `${id}-hint` : '';
  const input = inputFor(field, id, hintId);
  const label = el('label', { for: id, text: field.label });
  // The asterisk is for the eye; assistive technology announces the input's own `required`.
  const marker = field.required
    ? el('span', { class: 'required', 'aria-hidden': 'true', text: '*' })
    : null;
  const wrapper = el('div', {
    class: `field field-${field.type}`,
    'data-field': field.name,
  });
  if (field.type === 'boolean') wrapper.append(input, el('span', {}, label, marker));
  else wrapper.append(label, marker || '');
  if (hint) wrapper.append(el('p', { class: 'hint', id: hintId, text: hint }));
  if (field.type !== 'boolean') wrapper.append(input);
  if (field.type === 'file') {
    const preview = el('div', { class: 'preview', id: `${id}-preview`, 'aria-live': 'polite' });
    input.addEventListener('change', () => showPreview(input, preview));
    wrapper.append(preview);
  }
  return wrapper;
}

/** An image's preview (a data: URL, which a strict CSP allows), or a PDF's name and size. */
function showPreview(input, preview) {
  preview.textContent = '';
  const file = input.files && input.files[0];
  if (!file) return;
  const caption = el('p', {
    text: `${file.name}, ${Math.max(1, Math.round(file.size / 1024))} KB`,
  });
  if (!file.type.startsWith('image/')) {
    preview.append(caption);
    return;
  }
  const reader = new FileReader();
  reader.addEventListener('load', () => {
    preview.append(
      el('img', { src: String(reader.result), alt: `Preview of ${file.name}` }),
      caption,
    );
  });
  reader.readAsDataURL(file);
}

const GROUPS = {
  business: 'The business',
  person: 'About you',
  representative: "The company's representative",
  bank: 'Bank account for payouts',
  profile: 'About what you sell',
  terms: 'Terms',
};

function renderFields(container, fields, grouped) {
  container.textContent = '';
  container.removeAttribute('aria-busy');
  if (!grouped) {
    // The follow-up form: the account's own fields, then one fieldset per person (`section`).
    let fieldset;
    let section;
    for (const field of fields) {
      if (!field.section) {
        container.append(renderField(field));
        continue;
      }
      if (field.section !== section) {
        section = field.section;
        fieldset = el(
          'fieldset',
          { class: 'group group-person', 'data-section': section },
          el('legend', { text: field.sectionLabel || section }),
        );
        container.append(fieldset);
      }
      fieldset.append(renderField(field));
    }
    return;
  }
  let fieldset;
  let group;
  for (const field of fields) {
    if (field.group !== group) {
      group = field.group;
      fieldset = el(
        'fieldset',
        { class: `group group-${group}` },
        el('legend', { text: GROUPS[group] || group }),
      );
      container.append(fieldset);
    }
    fieldset.append(renderField(field));
    if (field.name === 'tosAccepted') {
      fieldset.append(
        el(
          'p',
          { class: 'hint' },
          el('a', {
            href: 'https://stripe.com/legal/connect-account',
            target: '_blank',
            rel: 'noopener noreferrer',
            text: "Read Stripe's Connected Account Agreement (opens in a new tab)",
          }),
        ),
      );
    }
  }
}

function clearErrors(form, summary) {
  summary.hidden = true;
  $('ul', summary).textContent = '';
  for (const node of form.querySelectorAll('.field-error')) node.remove();
  for (const node of form.querySelectorAll('[aria-invalid]')) {
    node.removeAttribute('aria-invalid');
    const describedBy = (node.getAttribute('aria-describedby') || '')
      .split(' ')
      .filter((id) => id && !id.endsWith('-error'))
      .join(' ');
    if (describedBy) node.setAttribute('aria-describedby', describedBy);
    else node.removeAttribute('aria-describedby');
  }
  for (const node of form.querySelectorAll('.has-error')) node.classList.remove('has-error');
}

/** The field an error key belongs to: the field itself, or the one whose name prefixes it (`individual.dob.year`). */
function fieldForKey(fields, key) {
  let best;
  for (const field of fields) {
    if (key === field.name || key.startsWith(`${field.name}.`)) {
      if (!best || field.name.length > best.name.length) best = field;
    }
  }
  return best;
}

/** Errors of a 400 answer: next to each field, and linked from the summary, which takes the focus. */
function showErrors(form, summary, fields, error) {
  clearErrors(form, summary);
  const list = $('ul', summary);
  const errors = error.body && error.body.errors ? error.body.errors : { form: [error.message] };
  for (const [key, messages] of Object.entries(errors)) {
    const field = fieldForKey(fields, key);
    const text = messages.join(' ');
    if (!field) {
      list.append(el('li', { text }));
      continue;
    }
    const id = fieldId(field.name);
    const input = document.getElementById(id);
    const wrapper = input.closest('.field');
    const errorId = `${id}-error`;
    let message = document.getElementById(errorId);
    if (!message) {
      message = el('p', { class: 'field-error', id: errorId });
      input.before(message);
      if (field.type === 'boolean') wrapper.append(message);
    }
    message.textContent = message.textContent ? `${message.textContent} ${text}` : text;
    wrapper.classList.add('has-error');
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute(
      'aria-describedby',
      [input.getAttribute('aria-describedby'), errorId].filter(Boolean).join(' '),
    );
    list.append(el('li', {}, el('a', { href: `#${id}`, text: `${field.label}: ${text}` })));
  }
  summary.hidden = false;
  summary.focus();
}

// Links in the summary move the focus to their field, not only the scroll position.
document.addEventListener('click', (event) => {
  const link = event.target.closest && event.target.closest('.error-summary a[href^="#"]');
  if (!link) return;
  const target = document.getElementById(link.getAttribute('href').slice(1));
  if (!target) return;
  event.preventDefault();
  target.focus();
  target.scrollIntoView({ block: 'center' });
});

/** The object that holds the field `name` (`individual.address` for `individual.address.city`), created. */
function groupOf(target, name) {
  let node = target;
  for (const key of name.split('.').slice(0, -1)) node = node[key] = node[key] || {};
  return node;
}

function setPath(target, name, value) {
  groupOf(target, name)[name.split('.').pop()] = value;
}

/** The initial form as the JSON body of `POST /connect/accounts/custom`. */
function initialBody(form, description) {
  const body = { country: description.country, businessType: description.businessType };
  for (const field of description.fields) {
    const input = document.getElementById(fieldId(field.name));
    if (field.type === 'boolean') {
      setPath(body, field.name, input.checked);
      continue;
    }
    const value = input.value.trim();
    if (!value) {
      // A required field left empty still sends its group (`individual: {}`), so the 400 names this field
      // rather than the whole group, and the error shows next to it.
      if (field.required) groupOf(body, field.name);
      continue;
    }
    if (field.format === 'day-month-year') {
      const [year, month, day] = value.split('-').map(Number);
      setPath(body, field.name, { day, month, year });
    } else setPath(body, field.name, value);
  }
  return body;
}

/** The follow-up form as multipart form data: documents as files, the rest as text. */
function followUpBody(fields) {
  const data = new FormData();
  for (const field of fields) {
    const input = document.getElementById(fieldId(field.name));
    if (field.type === 'file') {
      if (input.files && input.files[0]) data.append(field.name, input.files[0]);
    } else if (field.type === 'boolean') {
      if (input.checked) data.append(field.name, 'true');
    } else if (input.value.trim()) data.append(field.name, input.value.trim());
  }
  return data;
}

async function submitting(button, work) {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    await work();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

// ---------------------------------------------------------------------------------------------------------
// Pages

const yesNo = (value) => (value ? 'Yes' : 'No');

function describeAccount(account) {
  const due = account.verificationFieldsNeeded.length;
  if (account.chargesEnabled && account.payoutsEnabled) return 'Ready: charges and payouts enabled';
  if (account.chargesEnabled) return 'Charges enabled; payouts not yet';
  return due ? `${due} item(s) needed` : 'Waiting for Stripe';
}

async function startPage() {
  // Back from Stripe's hosted onboarding (ONBOARDING_RETURN_URL pointing here): on to the account's page.
  const returned = new URLSearchParams(window.location.search).get('account');
  if (returned && /^acct_[A-Za-z0-9]+$/.test(returned)) {
    window.location.replace(`/onboarding/${returned}`);
    return;
  }
  const accounts = (await api('GET', '/connect/accounts?limit=100')).data;
  const container = $('#accounts');
  container.textContent = '';
  container.removeAttribute('aria-busy');
  if (!accounts.length) container.append(el('p', { text: 'You have no seller account yet.' }));
  else {
    const list = el('ul', { class: 'accounts' });
    for (const account of accounts) {
      list.append(
        el(
          'li',
          {},
          el('a', { href: `/onboarding/${account.id}`, text: `${account.id}` }),
          ` · ${account.type} · ${account.country || ''} · ${describeAccount(account)}`,
        ),
      );
    }
    container.append(list);
  }

  const form = $('#initial-form');
  if (form) await initialForm(form);

  $('#hosted-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const type = event.submitter && event.submitter.value;
    void submitting(event.submitter, async () => {
      try {
        const created = await api('POST', '/connect/accounts', {
          type,
          country: $('#hosted-country').value,
        });
        window.location.assign(created.onboarding.url);
      } catch (error) {
        announce(error.message);
      }
    });
  });
  $('#oauth-connect').addEventListener('click', () => {
    void api('GET', '/connect/oauth/authorize-url').then(
      (answer) => window.location.assign(answer.url),
      (error) => announce(error.message),
    );
  });
}

async function initialForm(form) {
  const { country, businessType } = form.dataset;
  const description = await api(
    'GET',
    `/connect/onboarding/countries/${encodeURIComponent(country)}/form?businessType=${encodeURIComponent(businessType)}`,
  );
  renderFields($('#initial-fields'), description.fields, true);
  const summary = $('#error-summary');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void submitting($('button[type=submit]', form), async () => {
      try {
        const account = await api('POST', description.action, initialBody(form, description), {
          idempotencyKey: crypto.randomUUID(),
        });
        window.location.assign(`/onboarding/${account.id}`);
      } catch (error) {
        if (error.status !== 401) showErrors(form, summary, description.fields, error);
      }
    });
  });
}

/** Stripe's `requirements.disabled_reason`, in words. */
function disabledReason(reason) {
  const words = {
    'requirements.past_due': 'Information Stripe needs is overdue',
    'requirements.pending_verification': 'Stripe is verifying the information',
    'action_required.requested_capabilities': 'No capability has been requested',
    listed: 'The account is on a sanctions list and is being reviewed',
    under_review: 'Stripe is reviewing the account',
    other: 'Stripe restricted the account',
  };
  if (words[reason]) return words[reason];
  if (reason.startsWith('rejected.')) return `Stripe rejected the account (${reason.slice(9)})`;
  return reason;
}

function statusList(account, state) {
  const rows = [
    ['Account type', account.type],
    ['Country', account.country || '—'],
    ['Charges enabled', yesNo(account.chargesEnabled)],
    ['Payouts enabled', yesNo(account.payoutsEnabled)],
    ['Details submitted', yesNo(account.detailsSubmitted)],
  ];
  if (state.dueBy) rows.push(['Due by', new Date(state.dueBy).toUTCString()]);
  if (state.pendingVerification.length)
    rows.push(['Being verified by Stripe', state.pendingVerification.join(', ')]);
  if (state.disabledReason)
    rows.push(['Why it is restricted', disabledReason(state.disabledReason)]);
  const list = el('dl', { class: 'status' });
  for (const [term, value] of rows) {
    list.append(el('dt', { text: term }), el('dd', { text: value, 'data-status': term }));
  }
  return list;
}

async function accountPage() {
  const id = document.body.dataset.account;
  const form = $('#followup-form');
  const summary = $('#error-summary');
  let fields = [];

  const render = (account, state) => {
    const status = $('#account-status');
    status.textContent = '';
    status.removeAttribute('aria-busy');
    status.append(statusList(account, state));
    const verified =
      account.chargesEnabled &&
      account.payoutsEnabled &&
      !state.currentlyDue.length &&
      !state.pendingVerification.length;
    status.append(
      el('p', {
        class: verified ? 'badge ok' : 'badge',
        id: 'verification-outcome',
        text: verified ? 'Verified: you can sell and get paid.' : 'Not verified yet.',
      }),
    );
    const intro = $('#followup-intro');
    intro.textContent = '';
    fields = state.fields;
    if (state.errors.length) {
      const problems = el('ul', { class: 'problems' });
      for (const problem of state.errors) problems.append(el('li', { text: problem.message }));
      intro.append(el('p', { text: 'Stripe could not verify some details:' }), problems);
    }
    if (state.collectedBy === 'stripe') {
      intro.append(el('p', { text: 'Stripe collects this account’s details on its own pages.' }));
    } else if (!fields.length) {
      intro.append(
        el('p', {
          text: state.pendingVerification.length
            ? 'Nothing more is needed while Stripe checks what you sent.'
            : 'Nothing is needed now.',
        }),
      );
    } else if (state.dueBy) {
      intro.append(el('p', { text: `Send these by ${new Date(state.dueBy).toUTCString()}.` }));
    }
    form.hidden = !fields.length;
    renderFields($('#followup-fields'), fields, false);
    clearErrors(form, summary);
    hostedLinks(account);
  };

  const load = async () => {
    const [account, state] = await Promise.all([
      api('GET', `/connect/accounts/${encodeURIComponent(id)}`),
      api('GET', `/connect/accounts/${encodeURIComponent(id)}/verification`),
    ]);
    render(account, state);
    return { account, state };
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void submitting($('button[type=submit]', form), async () => {
      try {
        await api(
          'POST',
          `/connect/accounts/${encodeURIComponent(id)}/verification`,
          followUpBody(fields),
          {
            idempotencyKey: crypto.randomUUID(),
          },
        );
        await load();
        announce('Thank you: your details were sent to Stripe.');
      } catch (error) {
        if (error.status !== 401) showErrors(form, summary, fields, error);
      }
    });
  });
  $('#refresh').addEventListener('click', () => {
    void load().then(
      () => announce('Status updated.'),
      (error) => announce(error.message),
    );
  });

  try {
    await load();
  } catch (error) {
    if (error.status === 404) {
      $('#account-status').textContent = 'No such account among yours.';
      $('#followup').hidden = true;
    } else if (error.status !== 401) announce(error.message);
  }
}

function hostedLinks(account) {
  const container = $('#hosted-links');
  container.textContent = '';
  if (account.type !== 'express' && account.type !== 'standard') return;
  const onboard = el('button', {
    type: 'button',
    class: 'primary',
    text: account.detailsSubmitted ? 'Update your details on Stripe' : 'Continue on Stripe',
  });
  onboard.addEventListener('click', () => {
    void api('POST', `/connect/accounts/${encodeURIComponent(account.id)}/onboarding-link`, {
      type: account.detailsSubmitted ? 'account_update' : 'account_onboarding',
    }).then(
      (link) => window.location.assign(link.url),
      (error) => announce(error.message),
    );
  });
  container.append(onboard);
  if (account.type === 'express') {
    const dashboard = el('button', {
      type: 'button',
      class: 'secondary',
      text: 'Open the Express dashboard',
    });
    dashboard.addEventListener('click', () => {
      void api('POST', `/connect/accounts/${encodeURIComponent(account.id)}/login-link`).then(
        (link) => window.location.assign(link.url),
        (error) => announce(error.message),
      );
    });
    container.append(' ', dashboard);
  }
}

async function signIn() {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token');
  // The token leaves the address bar (and the history) before anything else happens.
  history.replaceState(null, '', window.location.pathname);
  $('#app').hidden = false;
  if (!token) {
    signedOut();
    return;
  }
  const response = await fetch('/onboarding/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    signedOut();
    $('#signed-out').prepend(
      el('p', { class: 'field-error', text: answer.message || 'Sign-in failed.' }),
    );
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, answer.token);
  sessionStorage.setItem(USER_KEY, answer.userId);
  window.location.replace('/onboarding');
}

async function main() {
  const page = document.body.dataset.page;
  $('#sign-out').addEventListener('click', () => {
    signedOut();
    window.location.assign('/onboarding');
  });
  if (page === 'sign-in') return signIn();
  if (!sessionStorage.getItem(TOKEN_KEY)) return signedOut();
  $('#app').hidden = false;
  $('#sign-out').hidden = false;
  $('#signed-in-as').textContent = `Signed in as ${sessionStorage.getItem(USER_KEY)}`;
  try {
    if (page === 'start') await startPage();
    if (page === 'account') await accountPage();
  } catch (error) {
    if (error.status !== 401) announce(error.message);
  }
}

void main();
