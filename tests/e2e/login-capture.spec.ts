// End-to-end: the callback capture. Custom schemes are captured; a registered http://localhost
// callback served by a real local server receives zero requests, with the capture alone and with
// the product's --host-resolver-rules guard; the guard by itself stops a browser reaching the host.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, expect, emulatorIdp, signIn, USERS } from './_login-fixtures.js';
import { validateCallback } from '../../src/oauth/authorize.js';
import { launchBrowser } from '../../src/login/browser.js';

/** A server on 127.0.0.1 that would be the callback; it counts every request it gets. */
async function callbackServer() {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.end('callback reached');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { hits, port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

test('custom scheme myapp://callback: the code is captured from the redirect', async ({ emulator, loginBrowser, artifactsDir, logs }) => {
  const idp = emulatorIdp(emulator, { redirectUri: 'myapp://callback' });
  const { url, attempt } = await signIn({ browser: loginBrowser, idp, user: USERS.admin, artifactsDir, logger: logs });
  expect(url.startsWith('myapp://callback?code=')).toBe(true);
  expect(validateCallback(url, attempt).kind).toBe('code');
});

test('the callback host is never contacted: capture alone, no resolver guard', async ({ emulator, artifactsDir, logs }) => {
  const cb = await callbackServer();
  // A browser without --host-resolver-rules: only the CDP capture stands between it and the server.
  const unguarded = await launchBrowser({ blockedHosts: [] });
  try {
    const idp = emulatorIdp(emulator, { redirectUri: `http://localhost:${cb.port}/callback` });
    const { url, attempt } = await signIn({ browser: unguarded, idp, user: USERS.admin, artifactsDir, logger: logs });
    expect(validateCallback(url, attempt).kind).toBe('code');
    expect(cb.hits).toEqual([]);
  } finally {
    await unguarded.close();
    await cb.close();
  }
});

test('the callback host is never contacted: the product set-up (capture plus guard)', async ({ emulator, loginBrowser, artifactsDir, logs }) => {
  const cb = await callbackServer();
  try {
    const idp = emulatorIdp(emulator, { redirectUri: `http://localhost:${cb.port}/callback` });
    const { url, attempt } = await signIn({ browser: loginBrowser, idp, user: USERS.admin, artifactsDir, logger: logs });
    expect(validateCallback(url, attempt).kind).toBe('code');
    expect(cb.hits).toEqual([]);
  } finally {
    await cb.close();
  }
});

test('the resolver guard on its own stops the browser reaching a blocked host', async ({ loginBrowser }) => {
  const cb = await callbackServer();
  const page = await loginBrowser.newPage();
  try {
    // Sanity: the server answers at 127.0.0.1, so only the guard can stop the request to localhost.
    const ok = await page.goto(`http://127.0.0.1:${cb.port}/probe`);
    expect(ok?.status()).toBe(200);
    const blocked = await page.goto(`http://localhost:${cb.port}/callback?code=x`).then(
      () => 'loaded',
      (e: Error) => e.message,
    );
    expect(blocked).toContain('ERR_NAME_NOT_RESOLVED');
    expect(cb.hits).toContain('GET /probe');
    expect(cb.hits.filter((h) => h.includes('/callback'))).toEqual([]);
  } finally {
    await page.close();
    await cb.close();
  }
});
