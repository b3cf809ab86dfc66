// A stuck login page does not overrun the login timeout (issue 11): a page whose script never
// ends keeps the renderer busy, so every evaluate and screenshot on it would wait; the sign-in must
// still end within its timeout plus the documented diagnostics grace, as LOGIN_TIMEOUT (exit 4),
// with whatever diagnostics could be had in that time. Real Chromium, a real server on 127.0.0.1.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdir } from 'node:fs/promises';
import { test, expect, signInError, emulatorIdp } from './_login-fixtures.js';
import { DIAGNOSTICS_GRACE_MS } from '../../src/login/diagnostics.js';

test('a page with a never-ending script: LOGIN_TIMEOUT within the timeout plus the diagnostics grace', async ({ loginBrowser, artifactsDir, logs }) => {
  const server = http.createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end('<!doctype html><title>Sign in</title><p>Loading…</p><script>for (;;) {}</script>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const cfg = emulatorIdp({ baseUrl: base, poolId: 'us-east-1_X', issuer: `${base}/x` });
    const timeoutMs = 3_000;
    const started = Date.now();
    const err = await signInError({ browser: loginBrowser, idp: cfg, user: { name: 'default', username: 'u', password: 'Stuck-Passw0rd!' }, artifactsDir, logger: logs, timeoutMs });
    const took = Date.now() - started;
    expect(err.code, err.message).toBe('LOGIN_TIMEOUT');
    expect(err.exitCode).toBe(4);
    expect(err.message).toContain('within 3 s');
    // The bound the README states: the timeout, then at most the grace for diagnostics (+1 s for a loaded machine).
    expect(took, `took ${took} ms`).toBeLessThan(timeoutMs + DIAGNOSTICS_GRACE_MS + 1_000);
    expect((await readdir(String(err.details.diagnostics))).sort()).toContain('summary.txt');
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test('Cognito\'s error page with HTTP 502 is an IdP failure (exit 4), not a redirect mismatch (exit 2)', async ({ loginBrowser, artifactsDir, logs }) => {
  const { startEmulator } = await import('../../packages/emulator/src/index.js');
  const emulator = await startEmulator({ port: 0 });
  try {
    emulator.faults.failNext('login', 1, 502);
    const err = await signInError({ browser: loginBrowser, idp: emulatorIdp(emulator), user: { name: 'default', username: 'admin', password: 'Admin-Passw0rd!' }, artifactsDir, logger: logs });
    expect(err.code, err.message).toBe('IDP_ERROR_PAGE');
    expect(err.exitCode).toBe(4);
    expect(err.message).toContain('HTTP 502');
  } finally {
    await emulator.stop();
  }
});
