import { api, ApiError } from '../api.ts';
import { h, messageBox, showMessage } from '../dom.ts';
import { humanMessage } from '../error-messages.ts';
import { authHref, safeNext } from '../return-path.ts';
import { navigate } from '../router.ts';
import { session } from '../session.ts';

function field(id: string, label: string, input: Record<string, string | boolean>, hint?: string): HTMLElement {
  const hintId = hint ? `${id}-hint` : undefined;
  return h('div', { class: 'field' },
    h('label', { for: id }, label),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    h('input', { id, name: id, required: true, 'aria-describedby': hintId, ...input }),
  );
}

/** The field each account error is about. */
const fieldOfCode: Record<string, string> = {
  email_invalid: 'email',
  email_taken: 'email',
  name_invalid: 'name',
  password_invalid: 'password',
  password_common: 'password',
};

/** The inputs an error names: validation_failed lists them, the account codes name one. */
function invalidFields(error: ApiError): string[] {
  if (error.code in fieldOfCode) return [fieldOfCode[error.code]!];
  if (error.code !== 'validation_failed') return [];
  const issues = (error.body.details?.issues ?? []) as { path?: unknown }[];
  return issues.map((issue) => String(Array.isArray(issue.path) ? (issue.path[0] ?? '') : (issue.path ?? '')).split('.')[0]!);
}

/** Marks the inputs the API named so they are announced as invalid, and focuses the first. */
function markInvalid(form: HTMLFormElement, error: ApiError): void {
  for (const input of form.querySelectorAll('input')) input.removeAttribute('aria-invalid');
  let first: HTMLInputElement | null = null;
  for (const name of invalidFields(error)) {
    const input = form.querySelector<HTMLInputElement>(`input[name="${name}"]`);
    if (!input) continue;
    input.setAttribute('aria-invalid', 'true');
    first ??= input;
  }
  first?.focus();
}

function authForm(
  title: string,
  fields: HTMLElement[],
  submitLabel: string,
  submit: (data: Record<string, string>) => Promise<void>,
  footer: HTMLElement,
): HTMLElement {
  const messages = h('div', { class: 'message-slot' });
  const button = h('button', { type: 'submit', class: 'button button-primary' }, submitLabel);
  const form = h('form', { class: 'auth-form', novalidate: false, 'aria-labelledby': 'page-title' }, ...fields, button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (button.getAttribute('aria-disabled') === 'true') return;
    button.setAttribute('aria-disabled', 'true');
    showMessage(messages, null);
    try {
      await submit(Object.fromEntries(new FormData(form)) as Record<string, string>);
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError(0, { code: 'internal_error', message: '' });
      showMessage(messages, messageBox('error', humanMessage(apiError.body, { retryAfterSeconds: apiError.retryAfterSeconds })));
      markInvalid(form, apiError);
    } finally {
      button.removeAttribute('aria-disabled');
    }
  });
  return h('section', { class: 'narrow' }, h('h1', { id: 'page-title' }, title), messages, form, footer);
}

export function loginPage(main: HTMLElement, _params: Record<string, string>, query: URLSearchParams): void {
  const next = safeNext(query.get('next'));
  main.append(
    authForm(
      'Log in',
      [
        field('email', 'Email', { type: 'email', autocomplete: 'email' }),
        field('password', 'Password', { type: 'password', autocomplete: 'current-password' }),
      ],
      'Log in',
      async ({ email = '', password = '' }) => {
        session.set(await api.logIn({ email, password }));
        navigate(next, { replace: true });
      },
      h('p', {}, 'New here? ', h('a', { href: authHref('/register', next), 'data-link': true }, 'Create an account')),
    ),
  );
}

export function registerPage(main: HTMLElement, _params: Record<string, string>, query: URLSearchParams): void {
  const next = safeNext(query.get('next'));
  main.append(
    authForm(
      'Create an account',
      [
        field('name', 'Name', { type: 'text', autocomplete: 'name', maxlength: '255' }),
        field('email', 'Email', { type: 'email', autocomplete: 'email' }),
        field('password', 'Password', { type: 'password', autocomplete: 'new-password', minlength: '8' }, 'At least 8 characters. Spaces are fine; very common passwords are refused.'),
      ],
      'Create account',
      async ({ name = '', email = '', password = '' }) => {
        await api.register({ name, email, password });
        // Registering does not log in: do it for the buyer with what they just typed.
        session.set(await api.logIn({ email, password }));
        navigate(next, { replace: true });
      },
      h('p', {}, 'Already have an account? ', h('a', { href: authHref('/login', next), 'data-link': true }, 'Log in')),
    ),
  );
}
