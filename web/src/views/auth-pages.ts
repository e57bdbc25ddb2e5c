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

/** Marks the inputs the API named in validation_failed so they are announced as invalid. */
function markInvalid(form: HTMLFormElement, error: ApiError): void {
  for (const input of form.querySelectorAll('input')) input.removeAttribute('aria-invalid');
  const issues = (error.body.details?.issues ?? []) as { path?: unknown[] }[];
  let first: HTMLInputElement | null = null;
  for (const issue of issues) {
    const input = form.querySelector<HTMLInputElement>(`input[name="${String(issue.path?.[0] ?? '')}"]`);
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
      if (apiError.code === 'validation_failed') markInvalid(form, apiError);
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
        field('password', 'Password', { type: 'password', autocomplete: 'new-password', minlength: '8' }, 'At least 8 characters.'),
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
