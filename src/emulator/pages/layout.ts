// Shared pieces of the emulator's HTML: escaping, the Bootstrap-3 visibility CSS that hides one
// of the classic page's two copies, and the page models both UIs render.
import type { ClientConfig } from '../config.js';

export const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** Bootstrap 3's responsive utilities (xs < 768, sm 768-991, md 992-1199, lg >= 1200), as the classic UI ships them. */
export const VISIBILITY_CSS = `
.visible-xs,.visible-sm,.visible-md,.visible-lg{display:none!important}
@media (max-width:767px){.visible-xs{display:block!important}}
@media (min-width:768px) and (max-width:991px){.visible-sm{display:block!important}}
@media (min-width:992px) and (max-width:1199px){.visible-md{display:block!important}}
@media (min-width:1200px){.visible-lg{display:block!important}}`;

export const BASE_CSS = `
body{font-family:"Helvetica Neue",Helvetica,Arial,sans-serif;font-size:14px;color:#333;background:#fafafa;margin:0}
.container{padding:15px}.modal-dialog{max-width:400px;margin:30px auto}
.modal-content{background:#fff;border:1px solid #ddd;border-radius:6px}.modal-body{padding:20px}
.form-control{display:block;width:100%;box-sizing:border-box;height:34px;padding:6px 12px;margin:4px 0 12px;border:1px solid #ccc;border-radius:4px}
.btn{display:inline-block;width:100%;padding:8px 12px;border:0;border-radius:4px;background:#337ab7;color:#fff;cursor:pointer}
.errorMessage-customizable,[role=alert]{color:#a94442}
.textDescription-customizable{display:block;margin-bottom:12px;font-weight:bold}
.idpDescription-customizable{display:block;margin:4px 0 10px;font-weight:bold}.idpButton-customizable{margin-bottom:8px;background:#5bc0de}
hr{border:0;border-top:1px solid #ddd;margin:16px 0 8px}`;

export function document(title: string, pageId: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${VISIBILITY_CSS}${BASE_CSS}</style>
</head>
<body data-emulator-page="${esc(pageId)}">
${body}
</body>
</html>`;
}

/** What every interactive page needs to render: where the form posts and the CSRF value. */
export interface FormModel {
  /** Form action path with the authorize query, e.g. `/login?response_type=code&...`. */
  action: string;
  csrf: string;
  /** The authorize query (with `?`) for links (forgot password, sign up, resend). */
  search: string;
  error?: string;
  info?: string;
  /** The app client (Managed Login shows its identity providers). */
  client?: ClientConfig;
  /** Managed Login's MFA page: which code it asks for. */
  mfaStep?: 'totp' | 'sms' | 'email' | 'passkeyMfa' | 'mfaChoice';
  mfaChoices?: ('SOFTWARE_TOKEN_MFA' | 'SMS_MFA' | 'EMAIL_OTP' | 'WEB_AUTHN')[];
  destination?: string;
}

/** `/passkeys/add` (Managed Login only). */
export interface PasskeyAddModel extends UserFormModel {
  redirectUri: string;
  passkeysAvailable: boolean;
}

export interface LoginModel extends FormModel {
  loginHint?: string;
  /** External IdPs the client supports (federation): the button label and where it goes. */
  providers?: { name: string; href: string }[];
  /** The corporate-email box for IdpIdentifiers, with its texts (posts `idpIdentifier` to the form action). */
  corporateEmail?: { description: string; label: string; placeholder: string; button: string };
  /** false when the client does not support COGNITO: no username/password form. */
  cognito?: boolean;
}

export interface UserFormModel extends FormModel {
  username: string;
}

type Html = string | Promise<string>;

/** One UI's renderings. Classic doubles every form; Managed Login renders one (server-rendered React). */
export interface PageSet {
  login(m: LoginModel): Html;
  /** Managed username-first, step 1 ("Next"). Classic never asks for this. */
  usernameStep(m: LoginModel): Html;
  /** Managed username-first, step 2 (posts to /verifyPassword). */
  passwordStep(m: UserFormModel): Html;
  mfa(m: FormModel): Html;
  changePassword(m: FormModel): Html;
  confirm(m: UserFormModel): Html;
  resetPassword(m: UserFormModel): Html;
  forgotPassword(m: FormModel): Html;
  signup(m: FormModel): Html;
  signedInAs(m: UserFormModel): Html;
  /** Managed Login only: add a passkey for the signed-in user. */
  passkeyAdd?(m: PasskeyAddModel): Html;
  unavailable(): string;
}

/** Cognito's own error page: the same for both UIs (answered with 400). */
export function errorPage(errorCode: string): string {
  return document(
    'Error',
    'error',
    `<div class="container"><div class="modal-dialog"><div class="modal-content background-customizable"><div class="modal-body">
<h1 class="errorMessage-customizable">An error was encountered with the requested page.</h1>
<p data-error="${esc(errorCode)}">Error: <span id="errorCode">${esc(errorCode)}</span></p>
</div></div></div></div>`,
  );
}
