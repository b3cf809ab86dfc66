// End-to-end: failure diagnostics. An unknown page that even echoes the password yields a folder
// (screenshot, visible text, masked URL) in which no file holds the password; a page that never
// loads is a LOGIN_TIMEOUT with diagnostics (both exit 4, naming the folder). Also the other ways a
// sign-in fails without a login page: an unreachable IdP, an HTTP error page, a browser that is gone.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, expect, signInError, emulatorIdp } from './_login-fixtures.js';
import { writeDiagnostics } from '../../src/login/diagnostics.js';
import { launchBrowser } from '../../src/login/browser.js';
import { filesUnder } from '../fixtures/files.js';

const PASSWORD = 'Echoed-Passw0rd!';
const SESSION_VALUE = 's3cr3t-session-value';

/** A hostile little IdP: a sign-in form, then a page we do not know that shows the password back. */
async function hostileIdp() {
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    if (req.method === 'GET') {
      res.end(`<!doctype html><title>Sign in</title><form method="post" action="/next?session=${SESSION_VALUE}">
        <input name="username"><input name="password" type="password"><button type="submit">Sign in</button></form>`);
      return;
    }
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const pw = new URLSearchParams(body).get('password') ?? '';
      res.end(`<!doctype html><title>Odd</title><h1>Something else entirely</h1><p>You typed ${pw}</p>
        <input type="password" value="${pw}">`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}


test('unknown page: exit 4 UNEXPECTED_PAGE, diagnostics written, the password in no artifact', async ({ loginBrowser, artifactsDir, logs }) => {
  const idp = await hostileIdp();
  try {
    const cfg = emulatorIdp({ baseUrl: idp.base, poolId: 'us-east-1_X', issuer: `${idp.base}/x` }, {
      endpoints: { authorize: `${idp.base}/authorize`, login: `${idp.base}/login`, token: '', revoke: '', userInfo: '', logout: '' },
    });
    const user = { name: 'default', username: 'someone', password: PASSWORD };
    const err = await signInError({ browser: loginBrowser, idp: cfg, user, artifactsDir, logger: logs, extra: { unknownPageGraceMs: 300 } });
    expect(err.code).toBe('UNEXPECTED_PAGE');
    expect(err.exitCode).toBe(4);
    const dir = String(err.details.diagnostics);
    expect(dir.startsWith(join(artifactsDir, 'default-'))).toBe(true);
    expect(err.message).toContain(dir);

    const files = filesUnder(artifactsDir);
    expect(files.map((f) => f.slice(dir.length + 1)).sort()).toEqual(['page-text.txt', 'page-url.txt', 'page.png', 'summary.txt']);
    for (const f of files) {
      const bytes = await readFile(f);
      for (const needle of [PASSWORD, encodeURIComponent(PASSWORD), SESSION_VALUE]) {
        expect(bytes.includes(Buffer.from(needle)), `${needle} in ${f}`).toBe(false);
      }
    }
    // The page did show the password; the text file has it redacted, and the URL keeps only keys.
    expect(await readFile(join(dir, 'page-text.txt'), 'utf8')).toContain('You typed [REDACTED]');
    expect(await readFile(join(dir, 'page-url.txt'), 'utf8')).toBe(`${idp.base}/next?session=…\n`);
    expect(err.message).not.toContain(PASSWORD);
    expect(logs.lines.join('\n')).not.toContain(PASSWORD);
  } finally {
    await idp.close();
  }
});

test('a page that never loads: exit 4 LOGIN_TIMEOUT within the deadline, with diagnostics', async ({ loginBrowser, artifactsDir, logs }) => {
  // Accepts connections and never answers.
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer(() => undefined);
  server.on('connection', (s) => sockets.add(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const cfg = emulatorIdp({ baseUrl: base, poolId: 'us-east-1_X', issuer: `${base}/x` });
    const started = Date.now();
    const err = await signInError({ browser: loginBrowser, idp: cfg, user: { name: 'default', username: 'u', password: PASSWORD }, artifactsDir, logger: logs, timeoutMs: 1_500 });
    expect(err.code).toBe('LOGIN_TIMEOUT');
    expect(err.exitCode).toBe(4);
    // Bounded by the deadline (plus diagnostics), not by some default timeout.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(err.message).toContain(String(err.details.diagnostics));
    expect((await readdir(String(err.details.diagnostics))).sort()).toContain('summary.txt');
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test('the screenshot is taken of a scrubbed page: typed values gone from text and inputs', async ({ loginBrowser, artifactsDir }) => {
  const page = await loginBrowser.newPage();
  try {
    await page.setContent(`<p>Echo: ${PASSWORD}</p><input id="t" type="text" value="x${PASSWORD}x"><input id="p" type="password" value="whatever">`);
    const result = await writeDiagnostics({ page, artifactsDir, userName: 'default', reason: 'TEST', typedSecrets: [PASSWORD] });
    expect(result.problem).toBeUndefined();
    expect(result.files.map((f) => f.slice(String(result.dir).length + 1)).sort()).toEqual(['page-text.txt', 'page-url.txt', 'page.png', 'summary.txt']);
    // What the screenshot saw: the live page after the scrub.
    expect(await page.locator('body').innerText()).toBe('Echo: [REDACTED]');
    expect(await page.locator('#t').inputValue()).toBe('');
    expect(await page.locator('#p').inputValue()).toBe('');
  } finally {
    await page.close();
  }
});

test('a page that still shows a typed value after the scrub gets no screenshot at all', async ({ loginBrowser, artifactsDir }) => {
  const page = await loginBrowser.newPage();
  try {
    // Text drawn by CSS cannot be scrubbed from the DOM.
    await page.setContent(`<style>p::after{content:"${PASSWORD}"}</style><p>Echo: </p>`);
    const result = await writeDiagnostics({ page, artifactsDir, userName: 'default', reason: 'TEST', typedSecrets: [PASSWORD] });
    expect(result.problem).toContain('no screenshot');
    expect(result.files.some((f) => f.endsWith('page.png'))).toBe(false);
    for (const f of result.files) expect((await readFile(f)).includes(Buffer.from(PASSWORD))).toBe(false);
  } finally {
    await page.close();
  }
});

test('an identity provider that refuses connections: exit 4 IDP_UNREACHABLE naming the network error', async ({ loginBrowser, artifactsDir, logs }) => {
  // A port that was just free: nothing listens there.
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const cfg = emulatorIdp({ baseUrl: base, poolId: 'us-east-1_X', issuer: `${base}/x` });
  const err = await signInError({ browser: loginBrowser, idp: cfg, user: { name: 'default', username: 'u', password: PASSWORD }, artifactsDir, logger: logs });
  expect(err.code).toBe('IDP_UNREACHABLE');
  expect(err.exitCode).toBe(4);
  expect(err.message).toContain('ERR_CONNECTION_REFUSED');
  // The URL is named with its query values masked (state, PKCE challenge).
  expect(err.message).toContain('state=…');
});

test('an error page from the identity provider: UNEXPECTED_PAGE says the HTTP status', async ({ loginBrowser, artifactsDir, logs }) => {
  const server = http.createServer((_req, res) => {
    res.writeHead(503, { 'content-type': 'text/html' });
    res.end('<h1>Service Unavailable</h1>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const cfg = emulatorIdp({ baseUrl: base, poolId: 'us-east-1_X', issuer: `${base}/x` });
    const err = await signInError({ browser: loginBrowser, idp: cfg, user: { name: 'default', username: 'u', password: PASSWORD }, artifactsDir, logger: logs, extra: { unknownPageGraceMs: 200 } });
    expect(err.code).toBe('UNEXPECTED_PAGE');
    expect(err.message).toContain('(HTTP 503)');
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test('a browser that is gone: exit 5 BROWSER_FAILED, not a page problem', async ({ artifactsDir, logs }) => {
  const browser = await launchBrowser();
  await browser.close();
  const cfg = emulatorIdp({ baseUrl: 'http://127.0.0.1:9', poolId: 'us-east-1_X', issuer: 'http://127.0.0.1:9/x' });
  const err = await signInError({ browser, idp: cfg, user: { name: 'default', username: 'u', password: PASSWORD }, artifactsDir, logger: logs });
  expect(err.code).toBe('BROWSER_FAILED');
  expect(err.exitCode).toBe(5);
});
