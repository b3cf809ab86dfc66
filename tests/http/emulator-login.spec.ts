// Classic Hosted UI sign-in over plain HTTP: the CSRF pair, wrong-password PRG with the flash
// cookie, lockout, user states (disabled, unconfirmed, reset, new password), TOTP MFA and /logout.
import { TOTP, Secret } from 'otpauth';
import { test, expect } from '../fixtures/emulator.js';
import { DEFAULT_MFA_SECRET } from '../../packages/emulator/src/index.js';
import { authorizeQuery, get, Jar, localPath, POSTMAN, postForm, scrapeForm, signIn, submitPage } from '../fixtures/emulator-http.js';

const Q = authorizeQuery();
const loginPath = `/login?${Q}`;
const errorText = (html: string): string[] => [...html.matchAll(/<p id="loginErrorMessage" class="errorMessage-customizable">([^<]*)<\/p>/g)].map((m) => m[1] ?? '');

async function attempt(base: string, jar: Jar, username: string, password: string): Promise<Response> {
  return submitPage(base, loginPath, { username, password, cognitoAsfData: '' }, jar);
}

/** Follow a PRG redirect and return the messages shown (one per copy of the page). */
async function shownErrors(base: string, jar: Jar, res: Response): Promise<string[]> {
  const page = await get(base, localPath(res), jar);
  return errorText(await page.text());
}

const totpNow = (ms: number, secret = DEFAULT_MFA_SECRET) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({ timestamp: ms });

test('the page carries the form twice with the classic ids and names', async ({ emulator }) => {
  const html = await (await get(emulator.baseUrl, loginPath, new Jar())).text();
  expect(html.match(/name="cognitoSignInForm"/g)).toHaveLength(2);
  expect(html.match(/id="signInFormUsername" name="username"/g)).toHaveLength(2);
  expect(html.match(/id="signInFormPassword" name="password" type="password"/g)).toHaveLength(2);
  expect(html.match(/name="signInSubmitButton" type="Submit" value="Sign in"/g)).toHaveLength(2);
  expect(html.match(/name="cognitoAsfData"/g)).toHaveLength(2);
  expect(html).toContain('Sign in with your username and password');
  expect(html).toContain('Forgot your password?');
  expect(html).toContain('Sign up');
  // action before name, HTML-escaped query (scrapers depend on both).
  expect(html).toContain(`<form action="/login?${Q.replace(/&/g, '&amp;')}" name="cognitoSignInForm" method="post" class="cognito-asf">`);
  expect(html.indexOf('visible-xs visible-sm')).toBeLessThan(html.indexOf('modal-content-desktop visible-md visible-lg'));
});

test('a POST without the _csrf / XSRF-TOKEN pair is refused', async ({ emulator }) => {
  const jar = new Jar();
  const page = await get(emulator.baseUrl, loginPath, jar);
  const { action, csrf } = scrapeForm(await page.text());
  const noField = await postForm(emulator.baseUrl, action, { username: 'admin', password: 'Admin-Passw0rd!' }, jar);
  expect(noField.status).toBe(403);
  const noCookie = await postForm(emulator.baseUrl, action, { _csrf: csrf, username: 'admin', password: 'Admin-Passw0rd!' });
  expect(noCookie.status).toBe(403);
  jar.set('XSRF-TOKEN', 'other');
  const mismatch = await postForm(emulator.baseUrl, action, { _csrf: csrf, username: 'admin', password: 'Admin-Passw0rd!' }, jar);
  expect(mismatch.status).toBe(403);
});

test('a wrong password redirects back to GET /login, which shows "Incorrect username or password." once per copy', async ({ emulator }) => {
  const jar = new Jar();
  const res = await attempt(emulator.baseUrl, jar, 'admin', 'wrong');
  expect(res.status).toBe(302);
  expect(localPath(res)).toBe(loginPath);
  const flash = JSON.parse(Buffer.from(jar.get('cognito-fl')!, 'base64').toString()) as { targetRequestPath: string }[];
  expect(flash[0]!.targetRequestPath).toBe('/login');
  expect(await shownErrors(emulator.baseUrl, jar, res)).toEqual(['Incorrect username or password.', 'Incorrect username or password.']);
  // The flash is shown once.
  expect(errorText(await (await get(emulator.baseUrl, loginPath, jar)).text())).toEqual([]);
});

test('an unknown user gets the same message as a wrong password', async ({ emulator }) => {
  const jar = new Jar();
  expect(await shownErrors(emulator.baseUrl, jar, await attempt(emulator.baseUrl, jar, 'ghost', 'x'))).toContain('Incorrect username or password.');
});

test('after 5 failures "Password attempts exceeded" and a temporary lockout that even the right password cannot pass', async ({ emulator }) => {
  const jar = new Jar();
  for (let i = 1; i <= 4; i++) {
    expect(await shownErrors(emulator.baseUrl, jar, await attempt(emulator.baseUrl, jar, 'admin', `bad${i}`))).toContain('Incorrect username or password.');
  }
  expect(await shownErrors(emulator.baseUrl, jar, await attempt(emulator.baseUrl, jar, 'admin', 'bad5'))).toContain('Password attempts exceeded');
  expect(await shownErrors(emulator.baseUrl, jar, await attempt(emulator.baseUrl, jar, 'admin', 'Admin-Passw0rd!'))).toContain('Password attempts exceeded');
  emulator.clock.advance(1001);
  const ok = await attempt(emulator.baseUrl, jar, 'admin', 'Admin-Passw0rd!');
  expect(new URL(ok.headers.get('location')!).searchParams.get('code')).toBeTruthy();
});

test('each lockout after the first lasts longer', async ({ emulator }) => {
  const jar = new Jar();
  for (let i = 0; i < 5; i++) await attempt(emulator.baseUrl, jar, 'reader', 'bad');
  emulator.clock.advance(1001);
  await attempt(emulator.baseUrl, jar, 'reader', 'bad-again'); // locks for 2 s
  emulator.clock.advance(1001);
  expect(await shownErrors(emulator.baseUrl, jar, await attempt(emulator.baseUrl, jar, 'reader', 'Reader-Passw0rd!'))).toContain('Password attempts exceeded');
  emulator.clock.advance(1000);
  const ok = await attempt(emulator.baseUrl, jar, 'reader', 'Reader-Passw0rd!');
  expect(ok.headers.get('location')).toContain('code=');
});

test('reset() forgets lockouts', async ({ emulator }) => {
  const jar = new Jar();
  for (let i = 0; i < 5; i++) await attempt(emulator.baseUrl, jar, 'admin', 'bad');
  emulator.reset();
  const ok = await attempt(emulator.baseUrl, new Jar(), 'admin', 'Admin-Passw0rd!');
  expect(ok.headers.get('location')).toContain('code=');
});

test('a disabled user sees "User is disabled."', async ({ emulator }) => {
  const jar = new Jar();
  expect(await shownErrors(emulator.baseUrl, jar, await attempt(emulator.baseUrl, jar, 'disabled-user', 'Disabled-Passw0rd!'))).toContain('User is disabled.');
});

test('an unconfirmed user with the right password goes to /confirm', async ({ emulator }) => {
  const jar = new Jar();
  const res = await attempt(emulator.baseUrl, jar, 'unconfirmed-user', 'Unconf-Passw0rd!');
  expect(localPath(res)).toMatch(/^\/confirm\?.*username=unconfirmed-user/);
  const html = await (await get(emulator.baseUrl, localPath(res), jar)).text();
  expect(html).toContain('Confirm your account');
  expect(html).toContain('id="verification_code" name="confirmation_code"');
  expect(html).toMatch(/href="\/resendcode\?[^"]*">Send a new code</);
});

test('confirming with the emulator code makes an unconfirmed user able to sign in', async ({ emulator }) => {
  const jar = new Jar();
  const res = await attempt(emulator.baseUrl, jar, 'unconfirmed-user', 'Unconf-Passw0rd!');
  const done = await submitPage(emulator.baseUrl, localPath(res), { confirmation_code: '123456' }, jar);
  expect(localPath(done)).toMatch(/^\/login\?/);
  const ok = await attempt(emulator.baseUrl, jar, 'unconfirmed-user', 'Unconf-Passw0rd!');
  expect(ok.headers.get('location')).toContain('code=');
});

test('a RESET_REQUIRED user goes to the reset-password page', async ({ emulator }) => {
  const jar = new Jar();
  const res = await attempt(emulator.baseUrl, jar, 'reset-user', 'anything');
  expect(localPath(res)).toMatch(/^\/confirmforgotPassword\?.*username=reset-user/);
  const html = await (await get(emulator.baseUrl, localPath(res), jar)).text();
  expect(html).toContain('Reset your password');
  expect(html).toContain('We have sent a password reset code');
});

test('user-state pages can be turned into login-page errors (uncertain behaviours)', async () => {
  const { startEmulator } = await import('../../packages/emulator/src/index.js');
  const emu = await startEmulator({ behaviour: { unconfirmedUser: 'error', resetRequiredUser: 'error' } });
  try {
    const jar = new Jar();
    expect(await shownErrors(emu.baseUrl, jar, await attempt(emu.baseUrl, jar, 'unconfirmed-user', 'Unconf-Passw0rd!'))).toContain('User is not confirmed.');
    expect(await shownErrors(emu.baseUrl, jar, await attempt(emu.baseUrl, jar, 'reset-user', 'x'))).toContain('Password reset required for the user');
  } finally {
    await emu.stop();
  }
});

test('FORCE_CHANGE_PASSWORD: the change-password page, then a code with the new password', async ({ emulator }) => {
  const jar = new Jar();
  const res = await attempt(emulator.baseUrl, jar, 'new-password-user', 'Temp-Passw0rd!');
  expect(localPath(res)).toBe(`/changePassword?${Q}`);
  const html = await (await get(emulator.baseUrl, localPath(res), jar)).text();
  for (const t of ['Change Password', 'Please enter a new password.', 'id="new_password" name="newPassword"', 'id="confirm_password" name="confirmPassword"', 'name="reset_password" type="submit"']) {
    expect(html).toContain(t);
  }
  const mismatch = await submitPage(emulator.baseUrl, localPath(res), { newPassword: 'New-Passw0rd!', confirmPassword: 'Other-Passw0rd!' }, jar);
  expect(await shownErrors(emulator.baseUrl, jar, mismatch)).toContain('Passwords do not match.');
  const weak = await submitPage(emulator.baseUrl, localPath(res), { newPassword: 'short', confirmPassword: 'short' }, jar);
  expect((await shownErrors(emulator.baseUrl, jar, weak))[0]).toMatch(/^Password does not conform to policy/);
  const done = await submitPage(emulator.baseUrl, localPath(res), { newPassword: 'New-Passw0rd!', confirmPassword: 'New-Passw0rd!' }, jar);
  expect(new URL(done.headers.get('location')!).searchParams.get('code')).toBeTruthy();
  const again = await attempt(emulator.baseUrl, new Jar(), 'new-password-user', 'New-Passw0rd!');
  expect(again.headers.get('location')).toContain('code=');
});

test('TOTP MFA: the code page, a wrong code refused, the right one accepted', async ({ emulator }) => {
  const jar = new Jar();
  const res = await attempt(emulator.baseUrl, jar, 'mfa-user', 'Mfa-Passw0rd!');
  expect(localPath(res)).toBe(`/mfa?${Q}`);
  const html = await (await get(emulator.baseUrl, localPath(res), jar)).text();
  expect(html.match(/id="totpCodeInput" name="authentication_code"/g)).toHaveLength(2);
  expect(html).toContain('Multi-factor authentication');
  expect(html).toContain('Enter the code from your authenticator app');
  const current = totpNow(emulator.clock.now());
  const wrong = current === '000000' ? '111111' : '000000';
  const bad = await submitPage(emulator.baseUrl, localPath(res), { authentication_code: wrong }, jar);
  expect(await shownErrors(emulator.baseUrl, jar, bad)).toContain('Invalid code received for user');
  const ok = await submitPage(emulator.baseUrl, localPath(res), { authentication_code: totpNow(emulator.clock.now()) }, jar);
  expect(new URL(ok.headers.get('location')!).searchParams.get('code')).toBeTruthy();
});

test('TOTP MFA refuses a code that was already used', async ({ emulator }) => {
  emulator.clock.set(Math.floor(Date.now() / 30_000) * 30_000 + 5000); // mid-window: no step change during the test
  const code = totpNow(emulator.clock.now());
  const first = new Jar();
  const r1 = await attempt(emulator.baseUrl, first, 'mfa-user', 'Mfa-Passw0rd!');
  const ok = await submitPage(emulator.baseUrl, localPath(r1), { authentication_code: code }, first);
  expect(ok.headers.get('location')).toContain('code=');
  const second = new Jar();
  const r2 = await attempt(emulator.baseUrl, second, 'mfa-user', 'Mfa-Passw0rd!');
  const reused = await submitPage(emulator.baseUrl, localPath(r2), { authentication_code: code }, second);
  expect(await shownErrors(emulator.baseUrl, second, reused)).toContain('Invalid code received for user');
});

test('TOTP MFA accepts the previous and next step but not two steps away', async ({ emulator }) => {
  const t = Math.floor(Date.now() / 30_000) * 30_000 + 5000;
  emulator.clock.set(t);
  const tryCode = async (code: string) => {
    const jar = new Jar();
    const r = await attempt(emulator.baseUrl, jar, 'mfa-user', 'Mfa-Passw0rd!');
    return (await submitPage(emulator.baseUrl, localPath(r), { authentication_code: code }, jar)).headers.get('location') ?? '';
  };
  expect(await tryCode(totpNow(t - 30_000))).toContain('code=');
  expect(await tryCode(totpNow(t + 30_000))).toContain('code=');
  expect(await tryCode(totpNow(t + 60_000))).toMatch(/^\/mfa\?/);
  expect(await tryCode(totpNow(t - 60_000))).toMatch(/^\/mfa\?/);
});

test('the MFA step expires with the auth session (3 minutes by default)', async ({ emulator }) => {
  const jar = new Jar();
  const r = await attempt(emulator.baseUrl, jar, 'mfa-user', 'Mfa-Passw0rd!');
  const page = await get(emulator.baseUrl, localPath(r), jar);
  const { action, csrf } = scrapeForm(await page.text());
  emulator.clock.advance(3 * 60_000 + 1000);
  const res = await postForm(emulator.baseUrl, action, { _csrf: csrf, authentication_code: totpNow(emulator.clock.now()) }, jar);
  expect(localPath(res)).toMatch(/^\/login\?/);
  expect(await shownErrors(emulator.baseUrl, jar, res)).toContain('Invalid session for the user, session is expired.');
});

test('/logout with logout_uri clears the session and goes there, ignoring other parameters', async ({ emulator }) => {
  const { jar } = await signIn(emulator.baseUrl, 'admin', 'Admin-Passw0rd!');
  const res = await get(emulator.baseUrl, `/logout?client_id=demo-public-client&logout_uri=${encodeURIComponent('https://oauth.pstmn.io/v1/logout')}&redirect_uri=${encodeURIComponent(POSTMAN)}`, jar);
  expect(res.status).toBe(302);
  expect(res.headers.get('location')).toBe('https://oauth.pstmn.io/v1/logout');
  expect(jar.get('cognito')).toBeUndefined();
  const again = await get(emulator.baseUrl, `/oauth2/authorize?${Q}`, jar);
  expect(localPath(again)).toMatch(/^\/login\?/);
});

test('/logout with redirect_uri goes to /login with the sign-in parameters (scope defaults to all)', async ({ emulator }) => {
  const { jar } = await signIn(emulator.baseUrl, 'admin', 'Admin-Passw0rd!');
  const res = await get(emulator.baseUrl, `/logout?client_id=demo-public-client&response_type=code&state=s2&redirect_uri=${encodeURIComponent(POSTMAN)}`, jar);
  const loc = new URL(res.headers.get('location')!, 'http://x.invalid');
  expect(loc.pathname).toBe('/login');
  expect(Object.fromEntries(loc.searchParams)).toEqual({
    response_type: 'code',
    client_id: 'demo-public-client',
    redirect_uri: POSTMAN,
    scope: 'openid email profile phone aws.cognito.signin.user.admin demo-api/read',
    state: 's2',
  });
  expect((await get(emulator.baseUrl, loc.pathname + loc.search, jar)).status).toBe(200);
});

test('/logout refuses an unregistered logout_uri, a missing target and a missing client', async ({ emulator }) => {
  const a = await get(emulator.baseUrl, `/logout?client_id=demo-public-client&logout_uri=${encodeURIComponent('https://evil.example/')}`);
  expect(a.headers.get('location')).toBe('/error?error=redirect_mismatch&client_id=demo-public-client');
  const b = await get(emulator.baseUrl, '/logout?client_id=demo-public-client');
  expect(b.headers.get('location')).toBe('/error?error=invalid_request&client_id=demo-public-client');
  const c = await get(emulator.baseUrl, `/logout?logout_uri=${encodeURIComponent('https://oauth.pstmn.io/v1/logout')}`);
  expect(c.headers.get('location')).toMatch(/^\/error\?error=invalid_request/);
});

test('the wrong-password redirect status can be 303', async () => {
  const { startEmulator } = await import('../../packages/emulator/src/index.js');
  const emu = await startEmulator({ behaviour: { flashRedirectStatus: 303 } });
  try {
    expect((await attempt(emu.baseUrl, new Jar(), 'admin', 'bad')).status).toBe(303);
  } finally {
    await emu.stop();
  }
});
