// The upstream IdP sign-in pages a federated user can meet (COGNITO_IDP_LOGIN_UI): the one list the
// config loader, the CLI's --idp-login-ui, the per-user secrets, the driver's built-in profiles and
// the emulator's local upstream replicas all read, so adding an IdP is one edit here.

/** Built-in upstream login UIs: the driver has a selector profile for each, the emulator a replica. */
export const BUILT_IN_IDP_LOGIN_UIS = ['entra', 'okta', 'okta-classic', 'keycloak', 'auth0', 'oidc-provider'] as const;
export type BuiltInIdpLoginUi = (typeof BUILT_IN_IDP_LOGIN_UIS)[number];

/** What a user may configure: a built-in one, or `custom` with COGNITO_IDP_SELECTOR_PROFILE. */
export const IDP_LOGIN_UIS = [...BUILT_IN_IDP_LOGIN_UIS, 'custom'] as const;
export type IdpLoginUi = (typeof IDP_LOGIN_UIS)[number];

/** "entra, okta, ..., oidc-provider or custom": the list as an error message says it. */
export const IDP_LOGIN_UI_WORDS = `${IDP_LOGIN_UIS.slice(0, -1).join(', ')} or ${IDP_LOGIN_UIS[IDP_LOGIN_UIS.length - 1]}`;

export function isIdpLoginUi(value: string): value is IdpLoginUi {
  return (IDP_LOGIN_UIS as readonly string[]).includes(value);
}
