// The local SAML IdP's own pages: a plain corporate sign-in page (username, password, "Sign In"),
// the one-time-code page for users with TOTP, and the auto-submitting form that POSTs the signed
// SAMLResponse back to the service provider's ACS (HTTP-POST binding). The forms use Keycloak's
// ids and names (login.ftl / login-otp.ftl, federation-reference B.3), a common SAML IdP, so the
// driver's `keycloak` profile signs in here without a custom profile.
import { esc } from '../../pages/layout.js';

const CSS = `
body{font-family:"Segoe UI",Helvetica,Arial,sans-serif;background:#eef1f5;margin:0;color:#1b1b1b}
main{max-width:380px;margin:64px auto;background:#fff;padding:32px 36px;border-radius:6px;box-shadow:0 2px 8px rgba(0,0,0,.15)}
h1{font-size:22px;font-weight:600;margin:0 0 4px}.org{color:#555;margin:0 0 24px;font-size:13px}
label{display:block;font-size:13px;margin:14px 0 4px}
input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:8px 10px;border:1px solid #8a8886;border-radius:3px;font-size:15px}
button,input[type=submit]{margin-top:22px;width:100%;padding:10px;background:#2f5fb3;color:#fff;border:0;border-radius:3px;font-size:15px;cursor:pointer}
.error{background:#fde7e9;color:#a4262c;border-left:4px solid #a4262c;padding:8px 10px;margin-bottom:8px;font-size:13px}`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title><style>${CSS}</style></head>
<body data-saml-idp-page="${esc(title)}"><main>${body}</main></body>
</html>`;
}

const errorBox = (error?: string, id = 'input-error'): string => (error ? `<div id="${id}" class="error" role="alert" aria-live="polite">${esc(error)}</div>` : '');

export interface SignInModel {
  organisation: string;
  interaction: string;
  username?: string;
  error?: string;
}

export function signInPage(m: SignInModel): string {
  return page(
    'Sign in',
    `<h1 id="kc-page-title">Sign in</h1><p class="org">${esc(m.organisation)}</p>
${errorBox(m.error)}
<form id="kc-form-login" method="post" action="/sso/login">
<input type="hidden" name="interaction" value="${esc(m.interaction)}">
<label for="username">Username</label>
<input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" required value="${esc(m.username ?? '')}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<input id="kc-login" name="login" type="submit" value="Sign In">
</form>`,
  );
}

export function otpPage(m: SignInModel): string {
  return page(
    'Verify your identity',
    `<h1 id="kc-page-title">Verify your identity</h1><p class="org">${esc(m.organisation)}</p>
${errorBox(m.error, 'input-error-otp-code')}
<form id="kc-otp-login-form" method="post" action="/sso/otp">
<input type="hidden" name="interaction" value="${esc(m.interaction)}">
<label for="otp">Enter the code from your authenticator app</label>
<input id="otp" name="otp" type="text" inputmode="numeric" autocomplete="one-time-code" required>
<input id="kc-login" name="login" type="submit" value="Sign In">
</form>`,
  );
}

/** The HTTP-POST binding: a form the browser submits at once (a button if scripts are off). */
export function autoPostPage(acsUrl: string, samlResponse: string, relayState: string | undefined): string {
  return page(
    'Signing in',
    `<p>Signing you in…</p>
<form id="saml-post" method="post" action="${esc(acsUrl)}">
<input type="hidden" name="SAMLResponse" value="${esc(samlResponse)}">
${relayState !== undefined ? `<input type="hidden" name="RelayState" value="${esc(relayState)}">` : ''}
<noscript><button type="submit">Continue</button></noscript>
</form>
<script>document.getElementById('saml-post').submit();</script>`,
  );
}

export function errorPageHtml(message: string): string {
  return page('Sign-in error', `<h1>Sign-in error</h1>${errorBox(message)}`);
}

export function signedOutPage(): string {
  return page('Signed out', '<h1>You have signed out</h1><p class="org">You can close this window.</p>');
}
