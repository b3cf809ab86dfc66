// The classic Hosted UI (ManagedLoginVersion 1): every form twice, the small-screen copy first in
// the DOM, the desktop copy second, one of them hidden by Bootstrap-3 visibility CSS
// (cognito-reference 2.1-2.5; ids, names and texts per docs/hosted-ui-pages.md).
import { document, esc, type FormModel, type LoginModel, type PageSet } from './layout.js';

function twoCopies(title: string, pageId: string, inner: () => string): string {
  return document(
    title,
    pageId,
    `<div class="container"><div class="modal-dialog">
<div class="modal-content background-customizable modal-content-mobile visible-xs visible-sm">
<div class="modal-body">
${inner()}
</div>
</div>
<div class="modal-content background-customizable modal-content-mobile modal-content-desktop visible-md visible-lg">
<div class="modal-body">
${inner()}
</div>
</div>
</div></div>`,
  );
}

const errorBlock = (m: FormModel) =>
  m.error ? `<div><p id="loginErrorMessage" class="errorMessage-customizable">${esc(m.error)}</p></div>` : '';
const infoBlock = (m: FormModel) => (m.info ? `<div><p id="loginInfoMessage" class="textDescription-customizable">${esc(m.info)}</p></div>` : '');
const csrf = (m: FormModel) => `<input name="_csrf" type="hidden" value="${esc(m.csrf)}"/>`;
const submit = (value: string) =>
  `<input name="signInSubmitButton" type="Submit" value="${esc(value)}" class="btn btn-primary submitButton-customizable" aria-label="submit"/>`;

/**
 * "Sign in with your corporate ID" (federation-reference A.7): one button per IdP, each going to
 * /oauth2/authorize with identity_provider; then the corporate-email box when IdPs have identifiers
 * (its markup is UNCERTAIN; the texts come from BehaviourOptions.corporateEmail).
 */
function corporateSection(m: LoginModel): string {
  const providers = m.providers ?? [];
  if (!providers.length && !m.corporateEmail) return '';
  const buttons = providers
    .map(
      (p) =>
        `<input type="button" class="btn btn-info idpButton-customizable" value="${esc(p.name)}" aria-label="${esc(p.name)}" onclick="window.location.href=${esc(JSON.stringify(p.href))}"/>`,
    )
    .join('\n');
  const idpForm = providers.length
    ? `<div><span class="idpDescription-customizable">Sign in with your corporate ID</span></div>
<form name="loginWithIdentityProvider" method="get" onsubmit="return false">
<div>${buttons}</div>
</form>`
    : '';
  const e = m.corporateEmail;
  const emailForm = e
    ? `<div><span class="idpDescription-customizable">${esc(e.description)}</span></div>
<form name="idpIdentifierForm" action="${esc(m.action)}" method="post">
${csrf(m)}
<label for="idpIdentifierInput" class="label-customizable">${esc(e.label)}</label>
<div><input id="idpIdentifierInput" name="idpIdentifier" type="email" class="form-control inputField-customizable" placeholder="${esc(e.placeholder)}" autocapitalize="none" required/></div>
<input name="idpIdentifierSubmitButton" type="submit" value="${esc(e.button)}" class="btn btn-primary submitButton-customizable"/>
</form>`
    : '';
  const divider = m.cognito === false ? '' : '<div><hr/><span class="textDescription-customizable">or</span></div>';
  return `${idpForm}${emailForm}${divider}`;
}

/** The username/password form (COGNITO), as the page had it before federation. */
const cognitoForm = (m: LoginModel): string => `<div><span class="textDescription-customizable">Sign in with your username and password</span></div>
<div>
<form action="${esc(m.action)}" name="cognitoSignInForm" method="post" class="cognito-asf">
${csrf(m)}
<label for="signInFormUsername" class="label-customizable">Username</label>
<div><input id="signInFormUsername" name="username" type="text" class="form-control inputField-customizable" placeholder="Username" autocapitalize="none" required value="${esc(m.loginHint ?? '')}"/></div>
<label for="signInFormPassword" class="label-customizable">Password</label>
<div><input id="signInFormPassword" name="password" type="password" class="form-control inputField-customizable" placeholder="Password" required/></div>
<input name="cognitoAsfData" type="hidden" value=""/>
<a href="/forgotPassword${esc(m.search)}" class="redirect-customizable">Forgot your password?</a>
${submit('Sign in')}
</form>
</div>
<div><p class="redirect-customizable"><span>Need an account?</span>&nbsp;<a href="/signup${esc(m.search)}">Sign up</a></p></div>`;

/**
 * The code field of the classic MFA page: TOTP as documented (totpCodeInput); an email or SMS code
 * with the "delivered the authentication code" wording (G: the classic markup for these is not known).
 */
function mfaCodeField(m: FormModel): string {
  if (m.mfaStep === 'email' || m.mfaStep === 'sms') {
    const by = m.mfaStep === 'email' ? 'email' : 'SMS';
    return `<label for="mfaCodeInput" class="label-customizable">We have delivered the authentication code by ${by} to ${esc(m.destination ?? '')}. Please enter the code to complete authentication.</label>
<div><input id="mfaCodeInput" name="authentication_code" type="text" inputmode="numeric" autocomplete="one-time-code" class="form-control inputField-customizable" placeholder="Code" required/></div>`;
  }
  return `<label for="totpCodeInput" class="label-customizable">Enter the code from your authenticator app</label>
<div><input id="totpCodeInput" name="authentication_code" type="text" inputmode="numeric" autocomplete="one-time-code" class="form-control inputField-customizable" placeholder="Code" required/></div>`;
}

export const classicPages: PageSet = {
  login: (m: LoginModel) =>
    twoCopies('Signin', 'login', () => `${errorBlock(m)}${infoBlock(m)}
${corporateSection(m)}${m.cognito === false ? '' : cognitoForm(m)}`),

  // Classic pages never split username and password; these exist so both UIs share one interface.
  usernameStep: (m) => classicPages.login(m),
  passwordStep: (m) => classicPages.login({ ...m, loginHint: m.username }),

  mfa: (m) =>
    m.mfaStep === 'mfaChoice' || m.mfaStep === 'passkeyMfa' ? classicPages.mfa({ ...m, mfaStep: 'totp' }) : twoCopies('Signin', 'mfa', () => `${errorBlock(m)}
<div><span class="textDescription-customizable">Multi-factor authentication</span></div>
<form action="${esc(m.action)}" name="totpForm" method="post" class="cognito-asf">
${csrf(m)}
${mfaCodeField(m)}
<input name="signInSubmitButton" type="submit" value="Sign in" class="btn btn-primary submitButton-customizable" aria-label="submit"/>
</form>`),

  changePassword: (m) =>
    twoCopies('Change Password', 'changePassword', () => `${errorBlock(m)}
<h1 class="textDescription-customizable">Change Password</h1>
<div><span class="textDescription-customizable">Please enter a new password.</span></div>
<form action="${esc(m.action)}" name="changePasswordForm" method="post" class="cognito-asf">
${csrf(m)}
<label for="new_password" class="label-customizable">New Password</label>
<div><input id="new_password" name="newPassword" type="password" class="form-control inputField-customizable" placeholder="New Password" required/></div>
<label for="confirm_password" class="label-customizable">Enter New Password Again</label>
<div><input id="confirm_password" name="confirmPassword" type="password" class="form-control inputField-customizable" placeholder="Enter New Password Again" required/></div>
<button name="reset_password" type="submit" class="btn btn-primary submitButton-customizable">Send</button>
</form>`),

  confirm: (m) =>
    twoCopies('Confirm', 'confirm', () => `${errorBlock(m)}${infoBlock(m)}
<h1 class="textDescription-customizable">Confirm your account</h1>
<div><span class="textDescription-customizable">We have sent a code by email. Enter it below to confirm your account.</span></div>
<form action="${esc(m.action)}" name="confirmForm" method="post" class="cognito-asf">
${csrf(m)}
<input name="username" type="hidden" value="${esc(m.username)}"/>
<label for="verification_code" class="label-customizable">Verification Code</label>
<div><input id="verification_code" name="confirmation_code" type="text" class="form-control inputField-customizable" placeholder="Code" required/></div>
<button name="confirm" type="submit" class="btn btn-primary submitButton-customizable">Confirm Account</button>
</form>
<div><p class="redirect-customizable">Didn't receive a code? <a href="/resendcode${esc(m.search)}">Send a new code</a></p></div>`),

  resetPassword: (m) =>
    twoCopies('Reset Password', 'confirmforgotPassword', () => `${errorBlock(m)}
<h1 class="textDescription-customizable">Reset your password</h1>
<div><span class="textDescription-customizable">We have sent a password reset code by email. Enter it below to reset your password.</span></div>
<form action="${esc(m.action)}" name="resetPasswordForm" method="post" class="cognito-asf">
${csrf(m)}
<input name="username" type="hidden" value="${esc(m.username)}"/>
<label for="forgot_password_code" class="label-customizable">Code</label>
<div><input id="forgot_password_code" name="code" type="text" class="form-control inputField-customizable" required/></div>
<label for="new_password" class="label-customizable">New Password</label>
<div><input id="new_password" name="password" type="password" class="form-control inputField-customizable" required/></div>
<label for="confirm_password" class="label-customizable">Enter New Password Again</label>
<div><input id="confirm_password" name="confirmPassword" type="password" class="form-control inputField-customizable" required/></div>
<button name="reset_password" type="submit" class="btn btn-primary submitButton-customizable">Change Password</button>
</form>`),

  forgotPassword: (m) =>
    twoCopies('Forgot Password', 'forgotPassword', () => `${errorBlock(m)}
<h1 class="textDescription-customizable">Forgot your password?</h1>
<div><span class="textDescription-customizable">Enter your Username below and we will send a message to reset your password</span></div>
<form action="${esc(m.action)}" name="forgotPasswordForm" method="post" class="cognito-asf">
${csrf(m)}
<div><input id="username" name="username" type="text" class="form-control inputField-customizable" placeholder="Username" required/></div>
<button name="reset_my_password" type="submit" class="btn btn-primary submitButton-customizable">Reset my password</button>
</form>`),

  signup: (m) =>
    twoCopies('Signup', 'signup', () => `${errorBlock(m)}
<div><span class="textDescription-customizable">Sign up with a new account</span></div>
<p class="legalText-customizable">Self sign-up is not available on this emulated pool; users come from its configuration.</p>
<div><p class="redirect-customizable"><span>Already have an account?</span>&nbsp;<a href="/login${esc(m.search)}">Sign in</a></p></div>`),

  signedInAs: (m) =>
    twoCopies('Signin', 'signedInAs', () => `
<div><span class="textDescription-customizable">Sign In as ${esc(m.username)}</span></div>
<form action="${esc(m.action)}" name="cognitoSignInForm" method="post" class="cognito-asf">
${csrf(m)}
<input name="signInAs" type="hidden" value="true"/>
${submit(`Sign in as ${m.username}`)}
</form>
<div><p class="redirect-customizable"><a href="/logout${esc(m.search)}">Sign in as a different user?</a></p></div>`),

  unavailable: () =>
    document('Login pages unavailable', 'unavailable', '<div class="container"><h1>Login pages unavailable</h1><p>Please contact an administrator.</p></div>'),
};
