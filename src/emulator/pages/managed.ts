// Managed Login (ManagedLoginVersion 2): one form per page, real <button type="submit">, errors in
// role="alert", optional username-first step (cognito-reference 3; docs/hosted-ui-pages.md).
import { document, esc, type FormModel, type LoginModel, type PageSet, type UserFormModel } from './layout.js';

const shell = (title: string, pageId: string, inner: string) => document(title, pageId, `<main class="managed-login">\n${inner}\n</main>`);
const alert = (m: FormModel) => (m.error ? `<div role="alert" class="error">${esc(m.error)}</div>` : '');
const status = (m: FormModel) => (m.info ? `<div role="status">${esc(m.info)}</div>` : '');
const csrf = (m: FormModel) => `<input type="hidden" name="_csrf" value="${esc(m.csrf)}">`;
const usernameField = (m: LoginModel) =>
  `<label for="username">Username</label>
<input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" required value="${esc(m.loginHint ?? '')}">`;
const links = (m: FormModel) =>
  `<p><a href="/forgotPassword${esc(m.search)}">Forgot password?</a></p>\n<p>New user? <a href="/signup${esc(m.search)}">Create an account</a></p>`;

export const managedPages: PageSet = {
  login: (m: LoginModel) =>
    shell('Sign in', 'login', `<h1>Sign in</h1>
${alert(m)}${status(m)}
<form method="post" action="${esc(m.action)}">
${csrf(m)}
${usernameField(m)}
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<input type="hidden" name="cognitoAsfData" value="">
<button type="submit">Sign in</button>
</form>
${links(m)}`),

  usernameStep: (m: LoginModel) =>
    shell('Sign in', 'login', `<h1>Sign in</h1>
${alert(m)}${status(m)}
<form method="post" action="${esc(m.action)}">
${csrf(m)}
${usernameField(m)}
<button type="submit">Next</button>
</form>
${links(m)}`),

  passwordStep: (m: UserFormModel) =>
    shell('Sign in', 'verifyPassword', `<h1>Sign in</h1>
<p>Signing in as <strong>${esc(m.username)}</strong></p>
${alert(m)}
<form method="post" action="${esc(m.action)}">
${csrf(m)}
<input type="hidden" name="username" value="${esc(m.username)}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<input type="hidden" name="cognitoAsfData" value="">
<button type="submit">Sign in</button>
</form>
<p><a href="/login${esc(m.search)}">Sign in as a different user</a></p>`),

  mfa: (m) =>
    shell('Multi-factor authentication', 'mfa', `<h1>Enter the code from your authenticator app</h1>
${alert(m)}
<form method="post" action="${esc(m.action)}">
${csrf(m)}
<label for="totpCodeInput">Code</label>
<input id="totpCodeInput" name="authentication_code" type="text" inputmode="numeric" autocomplete="one-time-code" required>
<button type="submit">Sign in</button>
</form>`),

  changePassword: (m) =>
    shell('Change Password', 'changePassword', `<h1>Change Password</h1>
<p>Please enter a new password.</p>
${alert(m)}
<form method="post" action="${esc(m.action)}">
${csrf(m)}
<label for="new_password">New password</label>
<input id="new_password" name="newPassword" type="password" autocomplete="new-password" required>
<label for="confirm_password">Confirm new password</label>
<input id="confirm_password" name="confirmPassword" type="password" autocomplete="new-password" required>
<button name="reset_password" type="submit">Change password</button>
</form>`),

  confirm: (m) =>
    shell('Confirm your account', 'confirm', `<h1>Confirm your account</h1>
${alert(m)}${status(m)}
<form method="post" action="${esc(m.action)}">
${csrf(m)}
<input type="hidden" name="username" value="${esc(m.username)}">
<label for="verification_code">Verification code</label>
<input id="verification_code" name="confirmation_code" type="text" required>
<button type="submit">Confirm account</button>
</form>
<p><a href="/resendcode${esc(m.search)}">Send a new code</a></p>`),

  resetPassword: (m) =>
    shell('Reset your password', 'confirmforgotPassword', `<h1>Reset your password</h1>
<p>We have sent a password reset code by email.</p>
${alert(m)}
<form method="post" action="${esc(m.action)}">
${csrf(m)}
<input type="hidden" name="username" value="${esc(m.username)}">
<label for="forgot_password_code">Code</label>
<input id="forgot_password_code" name="code" type="text" required>
<label for="new_password">New password</label>
<input id="new_password" name="password" type="password" required>
<label for="confirm_password">Confirm new password</label>
<input id="confirm_password" name="confirmPassword" type="password" required>
<button type="submit">Reset password</button>
</form>`),

  forgotPassword: (m) =>
    shell('Forgot password', 'forgotPassword', `<h1>Forgot your password?</h1>
${alert(m)}
<form method="post" action="${esc(m.action)}">
${csrf(m)}
<label for="username">Username</label>
<input id="username" name="username" type="text" required>
<button type="submit">Reset my password</button>
</form>`),

  signup: (m) =>
    shell('Sign up', 'signup', `<h1>Create an account</h1>
${alert(m)}
<p>Self sign-up is not available on this emulated pool; users come from its configuration.</p>
<p><a href="/login${esc(m.search)}">Sign in</a></p>`),

  signedInAs: (m) =>
    shell('Sign in', 'signedInAs', `<h1>Sign in</h1>
<p>Signed in as <strong>${esc(m.username)}</strong></p>
<form method="post" action="${esc(m.action)}">
${csrf(m)}
<input type="hidden" name="signInAs" value="true">
<button type="submit">Continue as ${esc(m.username)}</button>
</form>
<p><a href="/logout${esc(m.search)}">Sign in as a different user</a></p>`),

  unavailable: () => shell('Login pages unavailable', 'unavailable', '<h1>Login pages unavailable</h1>\n<p>Please contact an administrator.</p>'),
};
