// The login pages of the local OIDC upstream: oidc-provider's own dev pages, and replicas of the
// Entra ID, Okta (Identity Engine and classic), Keycloak and Auth0 page sequences built from the ids,
// names, buttons and texts in federation-reference.md section B. They exist so the driver's built-in
// upstream profiles are proven against pages shaped like the real ones; they are not the real ones.
// Choices the reference does not settle are marked UNCERTAIN where they are made.
import { esc } from '../../pages/layout.js';
import { BUILT_IN_IDP_LOGIN_UIS, type BuiltInIdpLoginUi } from 'cognito-newman-common/idp-login-ui';

/** A replica for each of the driver's built-in upstream profiles (the one list is cognito-newman-common/idp-login-ui). */
export type UpstreamLoginUi = BuiltInIdpLoginUi;
export const UPSTREAM_LOGIN_UIS: readonly UpstreamLoginUi[] = BUILT_IN_IDP_LOGIN_UIS;

/** Where a sign-in is: one page per stage (a replica uses the stages its IdP has). */
export type Stage = 'pick' | 'credentials' | 'identifier' | 'password' | 'mfa-select' | 'otp' | 'kmsi';

export interface View {
  stage: Stage;
  /** The form action (the interaction's URL). */
  action: string;
  /** The username entered so far (shown on the password step). */
  username?: string;
  /** The IdP's error text for the page, when the last submission failed. */
  error?: string;
  /** Remembered accounts (Entra's "Pick an account"). */
  accounts?: string[];
}

export interface Replica {
  /** Username first, then the password on its own page. */
  identifierFirst: boolean;
  /** Unknown usernames are refused on the username page itself (Entra does; the others wait for the password). */
  checksIdentifier: boolean;
  /** "Pick an account" when the browser remembers accounts. */
  accountPicker: boolean;
  /** A method list ("Verify your identity") before the code page. */
  mfaSelect: boolean;
  /** On that list, the value that chooses the authenticator-app code. */
  totpMethod?: string;
  /** "Stay signed in?" after the credentials. */
  kmsi: boolean;
  /** The form fields' names. */
  fields: { username: string; password: string; otp: string };
  texts: { badPassword: string; unknownUser: string; badCode: string };
  render(view: View): string;
}

/** A hidden field that tells the server which page was submitted (real pages have their own state fields). */
const step = (s: Stage) => `<input type="hidden" name="step" value="${s}">`;

function document(title: string, css: string, body: string, script = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title><style>
body{font-family:"Segoe UI",Arial,sans-serif;margin:0;background:#f2f2f2;color:#1b1b1b}
input[type=text],input[type=email],input[type=password]{display:block;width:100%;box-sizing:border-box;height:36px;margin:6px 0 12px;padding:4px 8px;font-size:15px}
input[type=submit],button{min-width:108px;height:34px;font-size:15px;cursor:pointer}
${css}</style></head><body>${body}${script ? `<script>${script}</script>` : ''}</body></html>`;
}

// ---------------------------------------------------------------------------------------------
// oidc-provider: the look of its devInteractions pages (lib/views/login.js, layout.js), with a real
// password check. The layout's Google Fonts import is left out: the machines have no network.

const OIDC_CSS = `.login-card{padding:0 40px 10px;width:274px;background:#f7f7f7;margin:25px auto 10px;border-radius:2px;box-shadow:0 2px 2px rgba(0,0,0,.3)}
.login-card h1{font-weight:100;text-align:center;font-size:2.3em}.login-submit{width:100%;border:0;color:#fff;background:#4d90fe;font-weight:700}
.flash{color:#a94442;background:#f2dede;padding:8px;margin:0 0 10px}`;

const oidcProvider: Replica = {
  identifierFirst: false,
  checksIdentifier: false,
  accountPicker: false,
  mfaSelect: false,
  kmsi: false,
  fields: { username: 'login', password: 'password', otp: 'otp' },
  // UNCERTAIN: devInteractions accepts any password and has no error text; this is the text of
  // oidc-provider's example app (examples/routes), shown in a role=alert paragraph of our own.
  texts: { badPassword: 'Invalid email or password.', unknownUser: 'Invalid email or password.', badCode: 'Invalid one-time code.' },
  render(v) {
    const flash = v.error ? `<p class="flash" role="alert">${esc(v.error)}</p>` : '';
    if (v.stage === 'otp') {
      // Not in devInteractions (it has no MFA): our own page in its style.
      return document(
        'Sign-in',
        OIDC_CSS,
        `<div class="login-card"><h1>Sign-in</h1>${flash}<form autocomplete="off" action="${esc(v.action)}" method="post">${step('otp')}
<input type="hidden" name="prompt" value="otp"/><p>Enter the code from your authenticator app</p>
<input required type="text" name="otp" inputmode="numeric" autocomplete="one-time-code" placeholder="One-time code" autofocus="on">
<button type="submit" class="login login-submit">Sign-in</button></form></div>`,
      );
    }
    return document(
      'Sign-in',
      OIDC_CSS,
      `<div class="login-card"><h1>Sign-in</h1>${flash}<form autocomplete="off" action="${esc(v.action)}" method="post">${step('credentials')}
<input type="hidden" name="prompt" value="login"/>
<input required type="text" name="login" placeholder="Enter any login" ${v.username ? `value="${esc(v.username)}"` : 'autofocus="on"'}>
<input required type="password" name="password" placeholder="and password">
<button type="submit" class="login login-submit">Sign-in</button></form></div>`,
    );
  },
};

/** oidc-provider's consent page (lib/views/interaction.js): a summary and "Continue". */
export function oidcProviderConsent(action: string, clientId: string, scopes: string[]): string {
  return document(
    'Authorize',
    OIDC_CSS,
    `<div class="login-card"><h1>Authorize</h1><ul><li>the client <strong>${esc(clientId)}</strong> is asking you to confirm this authorization</li>
<li>scopes:</li><ul>${scopes.map((s) => `<li>${esc(s)}</li>`).join('')}</ul></ul>
<form autocomplete="off" action="${esc(action)}" method="post"><input type="hidden" name="prompt" value="consent"/>
<button autofocus type="submit" class="login login-submit">Continue</button></form></div>`,
  );
}

// ---------------------------------------------------------------------------------------------
// Microsoft Entra ID (reference B.1; MSAL's e2e helpers). The real page is one script-driven
// document; these are separate documents with the same ids, order and texts (UNCERTAIN whether a
// step changes in place: the driver handles both).

const ENTRA_CSS = `.box{width:440px;margin:60px auto;background:#fff;padding:44px;box-shadow:0 2px 6px rgba(0,0,0,.2);box-sizing:border-box}
.title{font-size:24px;font-weight:600;margin:16px 0}.alert-error{color:#e81123;margin:4px 0}.identity{margin:8px 0}
.buttons{text-align:right;margin-top:24px}#idSIButton9,#idSubmit_SAOTCC_Continue{background:#0067b8;color:#fff;border:0}#idBtn_Back{background:#ccc;border:0;margin-right:8px}
.table{display:block;padding:12px 8px;border-bottom:1px solid #ddd;cursor:pointer}.table:hover{background:#eee}
#KmsiCheckboxField{margin-right:6px}.logo{font-weight:600;color:#737373}[hidden]{display:none!important}`;

const entraShell = (inner: string) => `<div class="box"><div class="logo">Microsoft</div>${inner}</div>`;

const entra: Replica = {
  identifierFirst: true,
  checksIdentifier: true,
  accountPicker: true,
  mfaSelect: true,
  totpMethod: 'PhoneAppOTP',
  kmsi: true,
  fields: { username: 'loginfmt', password: 'passwd', otp: 'otc' },
  texts: {
    // AADSTS50126's page text.
    badPassword: "Your account or password is incorrect. If you don't remember your password, reset it now.",
    // UNCERTAIN: the work-account wording (personal accounts say "We couldn't find an account with that username.").
    unknownUser: 'This username may be incorrect. Make sure you typed it correctly. Otherwise, contact your admin.',
    // UNCERTAIN: wording and the error's id.
    badCode: "You didn't enter the expected verification code. Please try again.",
  },
  render(v) {
    const form = (inner: string, script = '') =>
      document('Sign in to your account', ENTRA_CSS, entraShell(`<form name="f1" id="i0281" method="post" action="${esc(v.action)}" novalidate autocomplete="off">${inner}</form>`), script);
    switch (v.stage) {
      case 'pick':
        return form(
          `${step('pick')}<input type="hidden" name="account" value="">
<div id="loginHeader" class="title" role="heading" aria-level="1">Pick an account</div>
<div id="tilesHolder" role="list">${(v.accounts ?? [])
            .map((a) => `<div class="table" role="button" tabindex="0" data-test-id="${esc(a)}" aria-label="Sign in with ${esc(a)} work or school account."><div class="tile-name">${esc(a)}</div></div>`)
            .join('')}
<div class="table" role="button" tabindex="0" id="otherTile" data-test-id="otherTile" aria-label="Use another account"><div id="otherTileText">Use another account</div></div></div>`,
          // The tiles are script-driven, as on the real page.
          `document.querySelectorAll('#tilesHolder [role=button]').forEach(function(t){t.addEventListener('click',function(){var f=document.forms.f1;f.account.value=t.id==='otherTile'?'':t.getAttribute('data-test-id');if(t.id==='otherTile'){var o=document.createElement('input');o.type='hidden';o.name='other';o.value='1';f.appendChild(o);}f.submit();});});`,
        );
      case 'identifier':
        // One script-driven document, as the real page: "Next" checks the name in the background
        // and swaps in the password view (UNCERTAIN detail; MSAL's helpers wait for #i0118 rather
        // than a navigation). The password is then posted as a normal form.
        return form(
          `${step('identifier')}<div id="emailView"><div id="loginHeader" class="title" role="heading" aria-level="1">Sign in</div>
<div id="usernameError" class="alert-error" role="alert" aria-live="assertive"${v.error ? '' : ' hidden'}>${esc(v.error ?? '')}</div>
<input type="email" name="loginfmt" id="i0116" maxlength="113" aria-label="Enter your email, phone, or Skype." placeholder="Email, phone, or Skype" autocomplete="username" ${v.username ? `value="${esc(v.username)}"` : ''}>
<div><a id="cantAccessAccount" href="#">Can't access your account?</a></div></div>
<div id="pwdView" hidden><div class="identity" id="displayName"></div><div class="title" role="heading" aria-level="1">Enter password</div>
<input type="password" name="passwd" id="i0118" placeholder="Password" autocomplete="current-password">
<div><a id="idA_PWD_ForgotPassword" href="#">Forgot my password</a></div></div>
<div class="buttons"><input type="submit" id="idBtn_Back" name="back" value="Back" hidden><input type="submit" id="idSIButton9" class="win-button button_primary" value="Next"></div>`,
          `(function(){var f=document.forms.f1,err=document.getElementById('usernameError');
f.addEventListener('submit',function(e){if(f.step.value!=='identifier')return;e.preventDefault();
var name=f.loginfmt.value;fetch(f.action,{method:'POST',headers:{'content-type':'application/x-www-form-urlencoded','x-requested-with':'fetch'},body:new URLSearchParams({step:'identifier',loginfmt:name})})
.then(function(r){return r.json();}).then(function(j){if(j.error){err.textContent=j.error;err.hidden=false;return;}
f.step.value='password';document.getElementById('emailView').hidden=true;var p=document.getElementById('pwdView');p.hidden=false;
document.getElementById('displayName').textContent=name;document.getElementById('i0118').setAttribute('aria-label','Enter the password for '+name);
document.getElementById('idSIButton9').value='Sign in';document.getElementById('idBtn_Back').hidden=false;document.getElementById('i0118').focus();});});})();`,
        );
      case 'password':
        // MSAL: #idBtn_Back sits before the Sign-in button on this page (a first-button click goes back).
        return form(`${step('password')}<div class="identity" id="displayName" title="${esc(v.username ?? '')}">${esc(v.username ?? '')}</div>
<div id="loginHeader" class="title" role="heading" aria-level="1">Enter password</div>
${v.error ? `<div id="passwordError" class="alert-error" role="alert" aria-live="assertive">${esc(v.error)}</div>` : ''}
<input type="password" name="passwd" id="i0118" aria-label="Enter the password for ${esc(v.username ?? '')}" placeholder="Password" autocomplete="current-password">
<div><a id="idA_PWD_ForgotPassword" href="#">Forgot my password</a></div>
<div class="buttons"><input type="submit" id="idBtn_Back" name="back" value="Back"><input type="submit" id="idSIButton9" class="win-button button_primary" value="Sign in"></div>`);
      case 'mfa-select':
        return form(`${step('mfa-select')}<input type="hidden" name="method" value="">
<div id="idDiv_SAOTCS_Title" class="title" role="heading" aria-level="1">Verify your identity</div>
<div id="idDiv_SAOTCS_Proofs" role="list">
<div class="table" role="button" tabindex="0" data-value="PhoneAppNotification">Approve a request on my Microsoft Authenticator app</div>
<div class="table" role="button" tabindex="0" data-value="PhoneAppOTP">Use a verification code</div></div>`,
          `document.querySelectorAll('#idDiv_SAOTCS_Proofs [data-value]').forEach(function(t){t.addEventListener('click',function(){var f=document.forms.f1;f.method.value=t.getAttribute('data-value');f.submit();});});`);
      case 'otp':
        return form(`${step('otp')}<div class="identity">${esc(v.username ?? '')}</div>
<div id="idDiv_SAOTCC_Title" class="title" role="heading" aria-level="1">Enter code</div>
<div id="idDiv_SAOTCC_Description">Enter the code displayed in the authenticator app on your mobile device</div>
${v.error ? `<div id="idSpan_SAOTCC_Error_OTC" class="alert-error" role="alert">${esc(v.error)}</div>` : ''}
<input type="text" name="otc" id="idTxtBx_SAOTCC_OTC" inputmode="numeric" autocomplete="off" aria-label="Code" placeholder="Code" maxlength="8">
<div class="buttons"><input type="submit" id="idSubmit_SAOTCC_Continue" class="win-button button_primary" value="Verify"></div>`);
      case 'kmsi':
        // Yes = #idSIButton9, No = #idBtn_Back, No first in the DOM (MSAL KmsiTestUtils).
        return form(`${step('kmsi')}<div class="identity">${esc(v.username ?? '')}</div>
<div id="KmsiBanner"><div class="title" role="heading" aria-level="1">Stay signed in?</div>
<div id="KmsiDescription">Do this to reduce the number of times you are asked to sign in.</div>
<label><input type="checkbox" id="KmsiCheckboxField" name="DontShowAgain">Don't show this again</label></div>
<div class="buttons"><input type="submit" id="idBtn_Back" name="kmsi" value="No"><input type="submit" id="idSIButton9" name="kmsi" value="Yes"></div>`);
      default:
        return form('');
    }
  },
};

// ---------------------------------------------------------------------------------------------
// Okta (reference B.2): the Identity Engine widget, identifier first, and the classic widget.

const OKTA_CSS = `#okta-sign-in{width:400px;margin:60px auto;background:#fff;border:1px solid #ddd;padding:30px 42px;box-sizing:border-box}
.okta-sign-in-header{font-weight:700;color:#555;margin-bottom:16px}h2.okta-form-title{font-size:17px;text-align:center}
.okta-form-infobox-error{color:#d93934;border:1px solid #d93934;padding:8px;margin-bottom:12px}.button-primary{width:100%;background:#1662dd;color:#fff;border:0}
.o-form-label{display:block;font-weight:600}.identifier{color:#555;text-align:center;margin-bottom:12px}`;

const oktaError = (e: string | undefined) =>
  `<div class="o-form-error-container" data-se="o-form-error-container" role="alert">${e ? `<div class="okta-form-infobox-error infobox infobox-error"><span class="icon error-16"></span><p>${esc(e)}</p></div>` : ''}</div>`;

const okta: Replica = {
  identifierFirst: true,
  checksIdentifier: false,
  accountPicker: false,
  // Okta's own feature file: select "Google Authenticator", then the code (reference B.2).
  mfaSelect: true,
  totpMethod: 'google_otp',
  kmsi: false,
  fields: { username: 'identifier', password: 'credentials.passcode', otp: 'credentials.passcode' },
  // UNCERTAIN: the widget's texts for these errors (i18n keys not in the reference).
  texts: { badPassword: 'Password is incorrect', unknownUser: 'Password is incorrect', badCode: 'Invalid code. Try again.' },
  render(v) {
    // UNCERTAIN: the widget's per-authenticator view classes (challenge-authenticator--<key>), used
    // here so the password and TOTP pages, which share the field name, can be told apart.
    const view = (cls: string, title: string, inner: string) =>
      document(
        'Sign In',
        OKTA_CSS,
        `<div id="okta-sign-in" class="auth-container main-container"><div class="okta-sign-in-header auth-header">okta</div>
<div class="siw-main-view ${cls}"><form method="post" action="${esc(v.action)}" data-se="o-form" class="ion-form o-form" novalidate>
<h2 class="okta-form-title o-form-head" data-se="o-form-head">${esc(title)}</h2>${oktaError(v.error)}${inner}</form></div></div>`,
      );
    switch (v.stage) {
      case 'identifier':
        return view(
          'identify-challenge identify',
          'Sign In',
          `${step('identifier')}<label class="o-form-label" for="input28">Username</label>
<input type="text" name="identifier" id="input28" autocomplete="username" value="${esc(v.username ?? '')}">
<label><input type="checkbox" name="rememberMe"> Keep me signed in</label>
<input class="button button-primary" type="submit" value="Next" data-type="save">`,
        );
      case 'password':
        return view(
          'challenge-authenticator--okta_password',
          'Verify with your password',
          `${step('password')}<div class="identifier-container"><span class="identifier" data-se="identifier">${esc(v.username ?? '')}</span></div>
<label class="o-form-label" for="input59">Password</label><input type="password" name="credentials.passcode" id="input59" autocomplete="current-password">
<input class="button button-primary" type="submit" value="Verify" data-type="save">`,
        );
      case 'mfa-select':
        // UNCERTAIN: the list's markup and title (OIE's select-authenticator-authenticate view).
        return view(
          'select-authenticator-authenticate',
          "Verify it's you with a security method",
          `${step('mfa-select')}<p>Select from the following options</p><div class="authenticator-list">
<div class="authenticator-row" data-se="okta_verify"><span class="authenticator-label">Okta Verify</span><button type="submit" name="method" value="okta_verify" class="button select-factor" data-se="button">Select</button></div>
<div class="authenticator-row" data-se="google_otp"><span class="authenticator-label">Google Authenticator</span><button type="submit" name="method" value="google_otp" class="button select-factor" data-se="button">Select</button></div></div>`,
        );
      case 'otp':
        return view(
          'challenge-authenticator--google_otp',
          'Verify with Google Authenticator',
          `${step('otp')}<div class="identifier-container"><span class="identifier" data-se="identifier">${esc(v.username ?? '')}</span></div>
<p>Enter the temporary code generated in your Google Authenticator app</p>
<label class="o-form-label" for="input77">Enter code</label><input type="text" name="credentials.passcode" id="input77" autocomplete="one-time-code" inputmode="numeric">
<input class="button button-primary" type="submit" value="Verify" data-type="save">`,
        );
      default:
        return view('', '', '');
    }
  },
};

const oktaClassic: Replica = {
  identifierFirst: false,
  checksIdentifier: false,
  accountPicker: false,
  mfaSelect: false,
  kmsi: false,
  fields: { username: 'username', password: 'password', otp: 'answer' },
  // UNCERTAIN: the v1 widget's texts.
  texts: { badPassword: 'Unable to sign in', unknownUser: 'Unable to sign in', badCode: "Your code doesn't match our records. Please try again." },
  render(v) {
    const shell = (inner: string) =>
      document('Sign In', OKTA_CSS, `<div id="okta-sign-in" class="auth-container main-container"><div class="okta-sign-in-header auth-header">okta</div>${inner}</div>`);
    if (v.stage === 'otp') {
      // The code box has a generated id: the profile uses the name (zhangyuan/puppeteer-okta).
      return shell(`<form method="post" action="${esc(v.action)}" data-se="factor-totp" class="mfa-verify o-form">${step('otp')}
<h2 class="okta-form-title o-form-head">Google Authenticator</h2>${oktaError(v.error)}<p class="okta-form-subtitle">Enter your Google Authenticator passcode</p>
<input type="text" name="answer" id="input69" autocomplete="off" placeholder="Enter Code"><input class="button button-primary" type="submit" value="Verify"></form>`);
    }
    return shell(`<form method="post" action="${esc(v.action)}" data-se="o-form" class="primary-auth-form o-form" novalidate>${step('credentials')}
<h2 class="okta-form-title o-form-head">Sign In</h2>${oktaError(v.error)}
<label class="o-form-label" for="okta-signin-username">Username</label><input type="text" name="username" id="okta-signin-username" autocomplete="username" value="${esc(v.username ?? '')}">
<label class="o-form-label" for="okta-signin-password">Password</label><input type="password" name="password" id="okta-signin-password" autocomplete="current-password">
<input class="button button-primary" type="submit" value="Sign In" id="okta-signin-submit" data-type="save"></form>`);
  },
};

// ---------------------------------------------------------------------------------------------
// Keycloak (reference B.3; themes/.../login.ftl and login-otp.ftl, the v2 theme's error ids).

const KC_CSS = `.login-pf-page{width:420px;margin:60px auto;background:#fff;border-top:4px solid #0066cc;padding:30px 40px;box-sizing:border-box}
#kc-header-wrapper{font-size:22px;text-align:center;margin-bottom:20px;letter-spacing:2px}#kc-page-title{font-size:22px;text-align:center}
.pf-m-error{color:#c9190b;display:block;margin:-6px 0 10px}#kc-login{width:100%;background:#0066cc;color:#fff;border:0}.pf-c-form__label{display:block}`;

const kcPage = (title: string, inner: string) =>
  document(
    `Sign in to test`,
    KC_CSS,
    `<div class="login-pf-page"><div id="kc-header"><div id="kc-header-wrapper">TEST</div></div><div class="card-pf"><header class="login-pf-header"><h1 id="kc-page-title">${esc(title)}</h1></header><div id="kc-content"><div id="kc-content-wrapper">${inner}</div></div></div></div>`,
  );

const keycloak: Replica = {
  identifierFirst: false,
  checksIdentifier: false,
  accountPicker: false,
  mfaSelect: false,
  kmsi: false,
  fields: { username: 'username', password: 'password', otp: 'otp' },
  // Keycloak's messages_en: invalidUserMessage, invalidTotpMessage.
  texts: { badPassword: 'Invalid username or password.', unknownUser: 'Invalid username or password.', badCode: 'Invalid authenticator code.' },
  render(v) {
    if (v.stage === 'otp') {
      return kcPage(
        'Sign in to your account',
        `<form id="kc-otp-login-form" class="pf-c-form" action="${esc(v.action)}" method="post">${step('otp')}
<label for="otp" class="pf-c-form__label">One-time code</label>
<input id="otp" name="otp" autocomplete="one-time-code" type="text" class="pf-c-form-control" autofocus aria-invalid="${v.error ? 'true' : 'false'}">
${v.error ? `<span id="input-error-otp-code" class="pf-c-form__helper-text pf-m-error required kc-feedback-text" aria-live="polite">${esc(v.error)}</span>` : ''}
<input class="pf-c-button pf-m-primary pf-m-block btn-lg" name="login" id="kc-login" type="submit" value="Sign In"></form>`,
      );
    }
    return kcPage(
      'Sign in to your account',
      `<form id="kc-form-login" action="${esc(v.action)}" method="post">${step('credentials')}
<label for="username" class="pf-c-form__label pf-c-form__label-text">Username or email</label>
<input tabindex="1" id="username" class="pf-c-form-control" name="username" value="${esc(v.username ?? '')}" type="text" autofocus autocomplete="off" aria-invalid="${v.error ? 'true' : 'false'}">
${v.error ? `<span id="input-error" class="pf-c-form__helper-text pf-m-error required kc-feedback-text" aria-live="polite">${esc(v.error)}</span>` : ''}
<label for="password" class="pf-c-form__label pf-c-form__label-text">Password</label>
<input tabindex="2" id="password" class="pf-c-form-control" name="password" type="password" autocomplete="off" aria-invalid="${v.error ? 'true' : 'false'}">
<div id="kc-form-options"><label><input tabindex="3" id="rememberMe" name="rememberMe" type="checkbox"> Remember me</label></div>
<div id="kc-form-buttons"><input type="hidden" id="id-hidden-input" name="credentialId"><input tabindex="4" class="pf-c-button pf-m-primary pf-m-block btn-lg" name="login" id="kc-login" type="submit" value="Sign In"></div></form>`,
    );
  },
};

// ---------------------------------------------------------------------------------------------
// Auth0 Universal Login (reference B.4): one page, "Continue". UNCERTAIN: the error element ids and
// texts, and the MFA page (no Auth0-owned test file was found).

const AUTH0_CSS = `._widget{width:400px;margin:60px auto;background:#fff;border-radius:5px;box-shadow:0 12px 40px rgba(0,0,0,.12);padding:40px;box-sizing:border-box}
h1{font-size:24px;text-align:center;font-weight:400}.ulp-input-error-message{color:#d00e17;display:block;font-size:12px;margin:-8px 0 10px}
button[type=submit]{width:100%;height:52px;background:#635dff;color:#fff;border:0;border-radius:3px}label{display:block}`;

const auth0: Replica = {
  identifierFirst: false,
  checksIdentifier: false,
  accountPicker: false,
  mfaSelect: false,
  kmsi: false,
  fields: { username: 'username', password: 'password', otp: 'code' },
  texts: { badPassword: 'Wrong email or password', unknownUser: 'Wrong email or password', badCode: 'The code you entered is invalid' },
  render(v) {
    const errorSpan = (id: string, code: string) => (v.error ? `<span id="${id}" class="ulp-input-error-message" data-error-code="${code}">${esc(v.error)}</span>` : '');
    if (v.stage === 'otp') {
      return document(
        'Enter your one-time code',
        AUTH0_CSS,
        `<main class="_widget mfa-otp-challenge"><header><h1>Verify Your Identity</h1><p>Check your preferred one-time password application for a code.</p></header>
<form method="POST" action="${esc(v.action)}" class="_form-otp-challenge">${step('otp')}<input type="hidden" name="state" value="x">
<label for="code">Enter your one-time code</label><input class="input" name="code" id="code" type="text" inputmode="numeric" autocomplete="one-time-code" autofocus>
${errorSpan('error-element-code', 'invalid-code')}<button type="submit" name="action" value="default">Continue</button></form></main>`,
      );
    }
    return document(
      'Log in',
      AUTH0_CSS,
      `<main class="_widget login-id"><header><h1>Welcome</h1><p>Log in to continue.</p></header>
<form method="POST" action="${esc(v.action)}" class="_form-login-password">${step('credentials')}<input type="hidden" name="state" value="x">
<label for="username">Email address</label><input class="input" inputmode="email" name="username" id="username" type="text" value="${esc(v.username ?? '')}" autocomplete="email" autocapitalize="none" spellcheck="false" autofocus>
<label for="password">Password</label><input class="input" name="password" id="password" type="password" autocomplete="current-password">
${errorSpan('error-element-password', 'wrong-credentials')}<button type="submit" name="action" value="default">Continue</button></form></main>`,
    );
  },
};

export const REPLICAS: Record<UpstreamLoginUi, Replica> = {
  'oidc-provider': oidcProvider,
  entra,
  okta,
  'okta-classic': oktaClassic,
  keycloak,
  auth0,
};
