// Built-in selector profiles for upstream IdPs' sign-in pages (federated users; COGNITO_IDP_LOGIN_UI),
// from the ids, names and buttons in federation-reference.md section B. Each lists alternatives
// where public test code disagrees; only visible matches count, so hidden copies never act.
import type { IdpConfig } from '../config/types.js';
import type { BuiltInIdpLoginUi } from 'cognito-newman-common/idp-login-ui';
import { usageError } from '../errors.js';
import type { SelectorProfile } from '../config/selector-profile.js';

export type { BuiltInIdpLoginUi };

export const UPSTREAM_PROFILES: Readonly<Record<BuiltInIdpLoginUi, SelectorProfile>> = Object.freeze({
  // B.1: MSAL's e2e helpers. "Next" and "Sign in" are the same #idSIButton9; #idBtn_Back ("Back",
  // and "No" on "Stay signed in?") comes first in the DOM, so no generic submit selector is used.
  entra: {
    name: 'entra',
    username: 'input[name="loginfmt"], input#i0116',
    next: '#idSIButton9',
    password: 'input[name="passwd"], input#i0118',
    submit: '#idSIButton9, #idSubmit_SAOTCC_Continue',
    otp: 'input#idTxtBx_SAOTCC_OTC, input[name="otc"]',
    error: '#usernameError, #passwordError, #idSpan_SAOTCC_Error_OTC, #idTD_Error',
    accountPicker: '#tilesHolder',
    accountTile: '#tilesHolder [data-test-id="{username}" i]',
    otherAccount: '#otherTile, [data-test-id="otherTile"]',
    mfaMethod: '#idDiv_SAOTCS_Proofs [data-value="PhoneAppOTP"]',
    // UNCERTAIN choice: "No" (a persistent IdP session would let a later sign-in in a reused
    // browser context skip the password, possibly as someone else).
    staySignedIn: 'form:has(#KmsiCheckboxField) #idBtn_Back, #KmsiBanner ~ * #idBtn_Back',
  },
  // B.2: Okta Identity Engine, identifier first. The password and TOTP pages share
  // `credentials.passcode`: the code field is the one that is not a password field.
  okta: {
    name: 'okta',
    username: 'input[name="identifier"]',
    next: 'form[data-se="o-form"] [data-type="save"], input[type="submit"][value="Next"]',
    password: 'input[name="credentials.passcode"][type="password"]',
    submit: 'form[data-se="o-form"] [data-type="save"], input[type="submit"][value="Verify"], input[type="submit"][value="Sign in"]',
    otp: '.challenge-authenticator--google_otp input[name="credentials.passcode"], input[name="credentials.passcode"]:not([type="password"])',
    error: '[data-se="o-form-error-container"] .okta-form-infobox-error, .o-form-error-container .infobox-error, .o-form-input-error',
    // UNCERTAIN: the authenticator list's markup (its "Select" button in the Google Authenticator row).
    mfaMethod: '[data-se="google_otp"] [data-se="button"], [data-se="google_otp"] .select-factor',
  },
  // B.2: the classic (v1) widget; the TOTP box has a generated id, so it is found by name.
  'okta-classic': {
    name: 'okta-classic',
    username: '#okta-signin-username',
    password: '#okta-signin-password',
    submit: '#okta-signin-submit, .mfa-verify input[type="submit"]',
    otp: '.mfa-verify input[name="answer"], input[name="answer"]',
    error: '.o-form-error-container .okta-form-infobox-error, .okta-form-infobox-error',
  },
  // B.3: login.ftl and login-otp.ftl.
  keycloak: {
    name: 'keycloak',
    username: 'form#kc-form-login input#username, input#username[name="username"]',
    password: 'form#kc-form-login input#password, input#password[name="password"]',
    submit: 'input#kc-login, button#kc-login',
    otp: 'form#kc-otp-login-form input#otp, input#otp[name="otp"]',
    error: '#input-error, #input-error-username, #input-error-password, #input-error-otp-code, .alert-error, .pf-c-alert.pf-m-danger',
  },
  // B.4: Universal Login, one page with "Continue"; identifier first uses the same button.
  auth0: {
    name: 'auth0',
    username: 'input#username, input[name="username"]',
    next: 'button[type="submit"][name="action"][value="default"]',
    password: 'input#password, input[name="password"]',
    submit: 'button[type="submit"][name="action"][value="default"], button[type="submit"]',
    otp: 'input#code[name="code"]',
    error: '#error-element-password, #error-element-username, #error-element-code, .ulp-input-error-message, #prompt-alert',
  },
  // oidc-provider's devInteractions pages (reference D), and its consent page.
  'oidc-provider': {
    name: 'oidc-provider',
    username: 'input[name="login"]',
    password: 'input[name="password"]',
    submit: 'button[type="submit"]',
    otp: 'input[name="otp"]',
    error: '[role="alert"], .flash',
    consent: 'form:has(input[name="prompt"][value="consent"]) button[type="submit"]',
  },
});

/** The profile for a federated user's upstream pages. */
export function upstreamProfileFor(idp: Pick<IdpConfig, 'idpLoginUi' | 'idpSelectorProfile'>): SelectorProfile {
  if (idp.idpLoginUi === 'custom' || (idp.idpLoginUi === undefined && idp.idpSelectorProfile)) {
    if (!idp.idpSelectorProfile) {
      throw usageError('SELECTOR_PROFILE_MISSING', 'COGNITO_IDP_LOGIN_UI is "custom" but no selector profile for the identity provider is configured.', {
        hint: 'Set COGNITO_IDP_SELECTOR_PROFILE to a JSON file or inline JSON with username, password and submit selectors.',
      });
    }
    return idp.idpSelectorProfile;
  }
  return UPSTREAM_PROFILES[idp.idpLoginUi ?? 'oidc-provider'];
}

/** `accountTile` with the username in place of `{username}`, escaped for a quoted CSS attribute value. */
export function accountTileSelector(template: string, username: string): string {
  const escaped = username.replace(/["\\]/g, (c) => `\\${c}`).replace(/[\n\r\f]/g, '');
  return template.split('{username}').join(escaped);
}
