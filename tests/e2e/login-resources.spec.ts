// End-to-end: what the sign-in page may load. Images, fonts and media are blocked (real pages are
// heavy); stylesheets are loaded, because the classic page's visible copy depends on them.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, expect, emulatorIdp, signIn } from './_login-fixtures.js';
import { validateCallback } from '../../src/oauth/authorize.js';
import { createLoginAttempt } from '../../src/oauth/authorize.js';

test('images, fonts and media are never fetched; the stylesheet is', async ({ loginBrowser, artifactsDir, logs }) => {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]!;
    seen.push(`${req.method} ${path}`);
    if (path === '/authorize') {
      res.setHeader('content-type', 'text/html');
      res.end(`<!doctype html><link rel="stylesheet" href="/site.css">
        <style>@font-face{font-family:X;src:url(/font.woff2)} body{font-family:X}</style>
        <img src="/logo.png"><video src="/intro.mp4" autoplay muted></video>
        <form method="post" action="/login${req.url?.slice(path.length) ?? ''}"><input name="username"><input name="password" type="password"><button type="submit">Sign in</button></form>`);
      return;
    }
    if (path === '/site.css') {
      res.setHeader('content-type', 'text/css');
      res.end('button{color:black}');
      return;
    }
    if (path === '/login') {
      const q = new URL(req.url ?? '', 'http://x').searchParams;
      res.writeHead(302, { location: `${q.get('redirect_uri')}?code=c-1&state=${q.get('state')}` });
      res.end();
      return;
    }
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const idp = emulatorIdp({ baseUrl: base, poolId: 'n/a', issuer: base }, { endpoints: { authorize: `${base}/authorize`, login: `${base}/login`, token: '', revoke: '', userInfo: '', logout: '' } });
    const attempt = createLoginAttempt(idp);
    const { url } = await signIn({ browser: loginBrowser, idp, user: { name: 'default', username: 'u', password: 'Some-Passw0rd!' }, artifactsDir, logger: logs, attempt });
    expect(validateCallback(url, attempt).kind).toBe('code');
    expect(seen).toContain('GET /site.css');
    expect(seen.filter((s) => /logo\.png|font\.woff2|intro\.mp4/.test(s))).toEqual([]);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
