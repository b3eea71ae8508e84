/** The login page: one field, the operator token (METALBOOT_TOKEN, or METALBOOT_READ_TOKEN to only look). */
import type { Html } from '../html.js';
import { html } from '../html.js';

export function loginPage(options: { readonly error?: string; readonly enabled: boolean }): Html {
  if (!options.enabled) {
    return html`<h1>Log in</h1><p role="alert">The dashboard is closed: start <code>metalboot serve</code> with METALBOOT_TOKEN (operators) or METALBOOT_READ_TOKEN (read-only) set.</p>`;
  }
  return html`<h1>Log in</h1>
${options.error ? html`<p class="error" role="alert" id="login-error">${options.error}</p>` : ''}
<form method="post" action="/ui/login" class="login">
<label for="token">Operator token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required${options.error ? html` aria-describedby="login-error" aria-invalid="true"` : ''} autofocus>
<p class="hint">METALBOOT_TOKEN to view and act, METALBOOT_READ_TOKEN to view.</p>
<button type="submit">Log in</button>
</form>`;
}
