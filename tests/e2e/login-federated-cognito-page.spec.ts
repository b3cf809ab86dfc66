// End-to-end: the Cognito leg of a federated sign-in, when no IdP is named. A small stand-in for
// Cognito's pages serves the markup of federation-reference.md A.7 (the classic page's
// "Sign in with your corporate ID" section, rendered twice with one copy hidden; a Managed
// Login-style page with a second "Corporate email" form) and forwards the chosen IdP to the local
// OIDC upstream, as Cognito's redirect would. The emulator's own federation (issue 12a) is wired to
// the driver by the chain test at merge; this file proves the driver's choice logic on its own.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, expect, ALICE, upstreamIdp, stepsOf, type Upstream } from './_upstream-fixtures.js';
import { signIn, signInError } from './_login-fixtures.js';
import { validateCallback } from '../../src/oauth/authorize.js';
import { rejectFederationErrorPage } from '../../src/login/federation.js';
import { VISIBILITY_CSS, esc } from '../../packages/emulator/src/pages/layout.js';

interface FakeCognito {
  base: string;
  hits: string[];
  close(): Promise<void>;
}

/** The classic page: two copies (phone and desktop), each with the local form and the IdP buttons. */
function classicPage(query: string, providers: string[], variant: string, ignoreFirstClick = false): string {
  const copy = (visibility: string, live: boolean) => `<div class="modal-content background-customizable ${visibility}"><div class="modal-body">
<form name="loginWithIdentityProvider" method="get" action="#"><span class="idpDescription-customizable">Sign in with your corporate ID</span>
${providers
  .map(
    (p) =>
      `<div><input type="button" class="btn btn-info idpButton-customizable" value="${esc(p)}" aria-label="${esc(p)}" onclick="${ignoreFirstClick ? 'if(!window.__ready){window.__ready=1;return;}' : ''}location.href='${live ? `/${variant}/oauth2/authorize?identity_provider=${encodeURIComponent(p)}&${esc(query)}` : '/hidden-copy-clicked'}'"></div>`,
  )
  .join('')}</form>
<div><span class="textDescription-customizable">Sign in with your username and password</span></div>
<form name="cognitoSignInForm" method="post" action="/login"><input type="hidden" name="_csrf" value="x">
<label class="label-customizable">Username</label><input name="username" type="text" class="form-control inputField-customizable">
<label class="label-customizable">Password</label><input name="password" type="password" class="form-control inputField-customizable">
<input name="signInSubmitButton" type="Submit" value="Sign in" class="btn btn-primary submitButton-customizable"></form></div></div>`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>Signin</title><style>${VISIBILITY_CSS} .btn{display:block;width:100%;height:34px}</style></head>
<body>${copy('visible-xs visible-sm', false)}${copy('visible-md visible-lg', true)}</body></html>`;
}

/** A Managed Login-style page: the personal form first, then the corporate email form (A.7). */
function managedPage(query: string, variant: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Sign in</title></head><body><main>
<form method="post" action="/login"><input type="hidden" name="csrf" value="x"><h2>Sign in</h2>
<label for="f1">Email address</label><input id="f1" name="username" type="text"><label for="f2">Password</label><input id="f2" name="password" type="password">
<button type="submit">Sign in</button></form>
<form method="post" action="/${variant}/corporate?${esc(query)}"><input type="hidden" name="csrf" value="x"><h2>Sign in with your corporate email</h2>
<label for="f3">Corporate email</label><input id="f3" name="email" type="email"><button type="submit">Sign in</button></form></main></body></html>`;
}

async function startFakeCognito(up: Upstream): Promise<FakeCognito> {
  const hits: string[] = [];
  const toUpstream = (q: URLSearchParams) => {
    q.delete('identity_provider');
    return `${up.baseUrl}/auth?${q.toString()}`;
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const [, variant, ...rest] = url.pathname.split('/');
    const path = rest.join('/');
    hits.push(`${req.method} /${variant}/${path}`);
    const q = url.searchParams;
    const html = (body: string) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(body);
    };
    if (path === 'oauth2/authorize') {
      const named = q.get('identity_provider');
      if (named === 'CorpEntra') {
        res.writeHead(302, { location: toUpstream(q) });
        return res.end();
      }
      if (named) return html('<!doctype html><html><body><div class="modal-content background-customizable"><p>Login option is not available. Please try another one</p></div></body></html>');
      if (variant === 'classic-one') return html(classicPage(q.toString(), ['CorpEntra'], variant));
      // A page whose script is not ready for the first click (a hydrating page loses it).
      if (variant === 'classic-late') return html(classicPage(q.toString(), ['CorpEntra'], variant, true));
      if (variant === 'classic-two') return html(classicPage(q.toString(), ['CorpEntra', 'CorpOkta'], variant));
      if (variant === 'managed-corporate') return html(managedPage(q.toString(), variant));
      if (variant === 'no-idp') return html(classicPage(q.toString(), [], variant));
    }
    if (path === 'corporate' && req.method === 'POST') {
      let body = '';
      req.setEncoding('utf8').on('data', (d: string) => (body += d));
      req.on('end', () => {
        const email = new URLSearchParams(body).get('email') ?? '';
        // Cognito routes by the email's domain to the IdP with that identifier (A.5).
        res.writeHead(302, { location: email.endsWith('@example.com') ? toUpstream(q) : `/${variant}/oauth2/authorize?identity_provider=none` });
        res.end();
      });
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    hits,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The driver on the stand-in's authorize endpoint, the upstream's token endpoint, Entra's pages. */
function viaCognito(fake: FakeCognito, up: Upstream, variant: string, overrides = {}) {
  const idp = upstreamIdp(up, 'entra', overrides);
  return { ...idp, domain: fake.base, endpoints: { ...idp.endpoints, authorize: `${fake.base}/${variant}/oauth2/authorize` } };
}

test.describe('Cognito\'s page offers the IdP', () => {
  let fake: FakeCognito;
  let up: Upstream;
  test.beforeEach(async ({ upstream }) => {
    up = await upstream('entra');
    fake = await startFakeCognito(up);
  });
  test.afterEach(async () => fake.close());

  test('classic page: the only IdP button, in the visible copy, leads on to the IdP', async ({ loginBrowser, artifactsDir, logs }) => {
    const { url, attempt } = await signIn({ browser: loginBrowser, idp: viaCognito(fake, up, 'classic-one'), user: ALICE, artifactsDir, logger: logs });
    expect(validateCallback(url, attempt).kind).toBe('code');
    expect(logs.lines).toContain("debug: Cognito's page: choosing identity provider CorpEntra");
    expect(fake.hits).not.toContain('GET /hidden-copy-clicked/');
    expect(fake.hits).toContain('GET /classic-one/oauth2/authorize');
    expect(stepsOf(logs.lines)).toEqual(['username', 'password', 'stay-signed-in']);
  });

  test('a lost first click on the IdP button is repeated once', async ({ loginBrowser, artifactsDir, logs }) => {
    const { url, attempt } = await signIn({ browser: loginBrowser, idp: viaCognito(fake, up, 'classic-late'), user: ALICE, artifactsDir, logger: logs, extra: { unknownPageGraceMs: 400 } });
    expect(validateCallback(url, attempt).kind).toBe('code');
    expect(logs.lines).toContain("debug: Cognito's page did not move after the IdP was chosen; choosing again");
  });

  test('Managed Login page: the corporate email form (not the personal one) takes the username\'s domain to the IdP', async ({ loginBrowser, artifactsDir, logs }) => {
    const { url, attempt } = await signIn({ browser: loginBrowser, idp: viaCognito(fake, up, 'managed-corporate'), user: ALICE, artifactsDir, logger: logs });
    expect(validateCallback(url, attempt).kind).toBe('code');
    expect(fake.hits).toContain('POST /managed-corporate/corporate');
    expect(fake.hits).not.toContain('POST /login/');
  });

  test('two IdPs offered and none named: a usage error listing them, before anything is typed', async ({ loginBrowser, artifactsDir, logs }) => {
    const err = await signInError({ browser: loginBrowser, idp: viaCognito(fake, up, 'classic-two'), user: { ...ALICE, username: 'alice' }, artifactsDir, logger: logs });
    expect(err.exitCode, err.message).toBe(2);
    expect(err.code).toBe('IDP_CHOICE_AMBIGUOUS');
    expect(err.message).toContain('offers "CorpEntra", "CorpOkta"');
    expect(err.hint).toContain('COGNITO_IDENTITY_PROVIDER');
  });

  test('no IdP offered: a usage error; a named IdP Cognito does not offer: its "Login option is not available" as exit 2', async ({ loginBrowser, artifactsDir, logs }) => {
    const none = await signInError({ browser: loginBrowser, idp: viaCognito(fake, up, 'no-idp'), user: ALICE, artifactsDir, logger: logs, extra: { unknownPageGraceMs: 300 } });
    expect(none.exitCode, none.message).toBe(2);
    expect(none.code).toBe('IDP_NOT_OFFERED');
    const named = await signInError({ browser: loginBrowser, idp: viaCognito(fake, up, 'classic-one', { identityProvider: 'Nope' }), user: ALICE, artifactsDir, logger: logs });
    expect(named.exitCode, named.message).toBe(2);
    expect(named.code).toBe('IDP_NOT_AVAILABLE');
    expect(named.message).toContain('"Login option is not available. Please try another one"');
  });
});

type Refusal = { code: string; exitCode: number; message: string } | undefined;
const refusal = (page: Parameters<typeof rejectFederationErrorPage>[0], idp: Parameters<typeof rejectFederationErrorPage>[1]): Promise<Refusal> =>
  rejectFederationErrorPage(page, idp).then(
    () => undefined,
    (e: unknown) => e as Refusal,
  );

test('back on Cognito after the IdP, its "Invalid State/RelayState provided." page is named, not an unknown page', async ({ loginBrowser, upstream }) => {
  const up = await upstream('entra');
  const idp = upstreamIdp(up, 'entra', { identityProvider: 'CorpEntra' });
  const page = await loginBrowser.newPage();
  try {
    await page.setContent('<p>An error was encountered with the requested page.</p><p>Invalid State/RelayState provided.</p>');
    const err = await refusal(page, idp);
    expect(err?.code).toBe('FEDERATION_FAILED');
    expect(err?.message).toContain('"Invalid State/RelayState provided."');
    await page.setContent('<p>An error was encountered with the requested page.</p>');
    const generic = await refusal(page, idp);
    expect(generic?.code).toBe('AUTHORIZE_REJECTED');
    expect(generic?.exitCode).toBe(2);
    await page.setContent('<p>Something went wrong, please try again.</p>');
    const late = await refusal(page, idp);
    expect(late?.code).toBe('FEDERATION_FAILED');
    expect(late?.exitCode).toBe(4);
    expect(late?.message).toContain('"Something went wrong, please try again."');
    await page.setContent('<p>Welcome</p>');
    expect(await refusal(page, idp)).toBeUndefined();
  } finally {
    await page.close();
  }
});
