// End-to-end: the selector-profile mechanism against a server we did not write: panva's
// oidc-provider (devInteractions login and consent pages), browser part only. The captured
// callback carries a code and the attempt's state; the callback host gets nothing.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, expect, emulatorIdp, signIn } from './_login-fixtures.js';
import { parseSelectorProfile } from '../../src/config/selector-profile.js';
import { validateCallback } from '../../src/oauth/authorize.js';

// oidc-provider ships no type declarations; a string specifier keeps TypeScript from looking for them.
const OIDC_PROVIDER = 'oidc-provider';
type ProviderCtor = new (issuer: string, config: Record<string, unknown>) => { callback(): http.RequestListener };

/** The profile a user would put in COGNITO_SELECTOR_PROFILE for oidc-provider's dev pages. */
const PROFILE_JSON = JSON.stringify({
  name: 'oidc-provider-dev',
  username: 'input[name="login"]',
  password: 'input[name="password"]',
  submit: 'button[type="submit"]',
  consent: 'form:has(input[name="prompt"][value="consent"]) button[type="submit"]',
});

test('a custom selector profile signs in to oidc-provider through its login and consent pages', async ({ loginBrowser, artifactsDir, logs }) => {
  const hits: string[] = [];
  const callbackServer = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    res.end();
  });
  await new Promise<void>((resolve) => callbackServer.listen(0, '127.0.0.1', resolve));
  const redirectUri = `http://localhost:${(callbackServer.address() as AddressInfo).port}/callback`;

  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { default: Provider } = (await import(OIDC_PROVIDER)) as { default: ProviderCtor };
  const provider = new Provider(issuer, {
    clients: [{ client_id: 'cn-test', redirect_uris: [redirectUri], token_endpoint_auth_method: 'none', grant_types: ['authorization_code'], response_types: ['code'] }],
    features: { devInteractions: { enabled: true } },
  });
  server.on('request', provider.callback());
  try {
    const idp = emulatorIdp(
      { baseUrl: issuer, poolId: 'n/a', issuer },
      {
        endpoints: { authorize: `${issuer}/auth`, login: `${issuer}/auth`, token: `${issuer}/token`, revoke: '', userInfo: '', logout: '' },
        clientId: 'cn-test',
        redirectUri,
        scopes: ['openid'],
        loginUi: 'custom',
        selectorProfile: parseSelectorProfile(PROFILE_JSON, 'COGNITO_SELECTOR_PROFILE'),
      },
    );
    const user = { name: 'default', username: 'alice', password: 'any-Passw0rd!' };
    const { url, attempt } = await signIn({ browser: loginBrowser, idp, user, artifactsDir, logger: logs });
    const cb = validateCallback(url, attempt);
    expect(cb.kind).toBe('code');
    expect(new URL(url).searchParams.get('state')).toBe(attempt.state);
    const steps = logs.lines.filter((l) => l.startsWith('debug: sign-in page:')).map((l) => l.split(' ')[3]);
    expect(steps).toEqual(['login', 'consent']);
    expect(hits).toEqual([]);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await new Promise<void>((resolve) => callbackServer.close(() => resolve()));
  }
});
