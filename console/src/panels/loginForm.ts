import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError } from '../api/http.ts';
import { logIn, openLogin } from '../api/session.ts';

/**
 * The token is typed here and sent once, in the body of POST /session (never in a URL); the node
 * answers with an httpOnly cookie and the CSRF token mutations carry.
 */
export function LoginForm(props: { required: boolean }): VNode {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await logIn(token);
      setToken('');
    } catch (failure) {
      setError(failure instanceof ApiError && failure.status === 429 ? 'Too many attempts: wait a minute and try again.' : failure instanceof ApiError && failure.status === 401 ? 'That token was not accepted.' : `Could not log in: ${failure instanceof Error ? failure.message : String(failure)}`);
    } finally {
      setBusy(false);
    }
  };
  return html`
    <form class=${`form ${props.required ? 'login' : ''}`} onSubmit=${submit} aria-labelledby=${props.required ? 'login-title' : 'login-dialog-title'}>
      ${props.required ? html`<h2 id="login-title">Log in to tradewire</h2>` : null}
      <p>${props.required ? 'This node answers reads only with a token.' : 'Without a login the console is read-only.'} Use the operator token to act, or the read token to watch.</p>
      <label for="login-token">Admin token</label>
      <input id="login-token" name="token" type="password" autocomplete="current-password" required autofocus value=${token} onInput=${(e: Event) => setToken((e.target as HTMLInputElement).value)} aria-describedby=${error ? 'login-error' : null} />
      ${error ? html`<p id="login-error" class="form-error" role="alert">${error}</p>` : null}
      <div class="actions">
        ${props.required ? null : html`<button type="button" class="button" onClick=${() => openLogin(false)}>Cancel</button>`}
        <button type="submit" class="button primary" disabled=${busy || token === ''}>Log in</button>
      </div>
    </form>
  `;
}
