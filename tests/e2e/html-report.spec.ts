// The `-r html` report (issue 14, item 3) opened as a reader would, in real Chromium with every
// request that is not file: blocked: no request is even attempted, the views and filters work,
// Authorization shows as `Bearer [REDACTED]`, and no password or token is anywhere in the DOM.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { test, expect } from '../fixtures/emulator.js';
import { runCli, describe, REPO_ROOT } from '../fixtures/cli.js';
import { launchBrowser } from '../../src/login/browser.js';
import { startDemoApi } from '../../packages/emulator/demo-api/server.js';

const PASSWORDS = ['Admin-Passw0rd!', 'Reader-Passw0rd!'];

/** The demo collection with the deliberately failing request appended: passes and failures in one run. */
function mixedCollection(dir: string): string {
  const demo = JSON.parse(readFileSync(join(REPO_ROOT, 'collections', 'demo.postman_collection.json'), 'utf8')) as { info: { name: string }; item: unknown[] };
  const failing = JSON.parse(readFileSync(join(REPO_ROOT, 'collections', 'failing.postman_collection.json'), 'utf8')) as { item: unknown[] };
  demo.info.name = 'report test';
  demo.item.push(...failing.item);
  const file = join(dir, 'mixed.postman_collection.json');
  writeFileSync(file, JSON.stringify(demo));
  return file;
}

let browser: Browser;
test.beforeAll(async () => {
  browser = await launchBrowser();
});
test.afterAll(async () => {
  await browser.close();
});

test('the html report works offline in Chromium: no request attempted, views and filters work, no secret in the DOM', async ({ emulator }) => {
  test.setTimeout(90_000);
  const api = await startDemoApi({ port: 0, issuer: emulator.issuer, clientIds: ['demo-public-client'] });
  const cwd = mkdtempSync(join(tmpdir(), 'cn-html-'));
  let run;
  try {
    run = await runCli(['run', mixedCollection(cwd), '--env-var', `baseUrl=${api.baseUrl}`, '-r', 'cli,html'], {
      cwd,
      env: {
        CI: 'true',
        COGNITO_DOMAIN: emulator.baseUrl,
        COGNITO_CLIENT_ID: 'demo-public-client',
        COGNITO_USER_POOL_ID: emulator.poolId,
        COGNITO_ISSUER: emulator.issuer,
        TEST_USERS: 'admin,reader',
        TEST_USER_ADMIN_USERNAME: 'admin',
        TEST_USER_ADMIN_PASSWORD: PASSWORDS[0],
        TEST_USER_READER_USERNAME: 'reader',
        TEST_USER_READER_PASSWORD: PASSWORDS[1],
      },
    });
  } finally {
    await api.stop();
  }
  expect(run.code, describe(run)).toBe(1);
  const file = join(cwd, 'reports', 'report.html');
  const html = readFileSync(file, 'utf8');
  const tokens = [...emulator.observed.tokens];
  expect(tokens.length).toBeGreaterThan(0);

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const attempted: string[] = [];
  // Every request that is not the file itself is refused, and noted: the report must need none.
  await context.route(/^(?!file:)/, (route) => {
    attempted.push(route.request().url());
    return route.abort();
  });
  context.on('request', (r) => {
    if (!r.url().startsWith('file:')) attempted.push(r.url());
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`file://${file}`);

  // Summary first: the verdict, the failures (before anything else) and the sign-in of both users.
  await expect(page.locator('.badge')).toHaveText('FAILED');
  const failures = page.locator('ol.failures li');
  await expect(failures).toHaveCount(2);
  await expect(failures.first()).toContainText('GET /me (deliberately failing)');
  const signIn = page.locator('#view-summary table.signin tbody tr');
  await expect(signIn).toHaveCount(2);
  await expect(signIn.first()).toContainText('admin');
  await expect(signIn.first()).toContainText('login');
  await expect(signIn.first()).toContainText('sign-in page filled and submitted');

  // A failure link opens its request in the Requests view.
  await failures.first().locator('a').click();
  await expect(page.locator('#view-requests')).toBeVisible();
  const failed = page.locator('details.req.is-failed');
  await expect(failed).toHaveCount(1);
  await expect(failed).toHaveAttribute('open', '');
  // Failures first in the list; the filter and the search narrow it.
  await expect(page.locator('details.req').first()).toHaveClass(/is-failed/);
  const visible = page.locator('details.req:not([hidden])');
  await expect(visible).toHaveCount(7);
  await page.click('[data-filter=failed]');
  await expect(visible).toHaveCount(1);
  await page.click('[data-filter=passed]');
  await expect(visible).toHaveCount(6);
  await page.click('[data-filter=all]');
  await page.fill('#search', 'forged');
  await expect(visible).toHaveCount(1);
  await page.fill('#search', '');

  // One request opened: method, URL, status, time, both header tables, the body, each test's result.
  const first = page.locator('details.req', { hasText: 'GET /me as admin' });
  await first.locator('summary').click();
  await expect(first.locator('.line')).toContainText(`GET${api.baseUrl}/me`);
  await expect(first.locator('.facts .pill')).toHaveText('200 OK');
  await expect(first.locator('.facts')).toContainText('ms');
  await expect(first.locator('table.kv tr', { hasText: 'Authorization' })).toContainText('Bearer [REDACTED]');
  await expect(first.locator('table.kv').nth(1)).toContainText('application/json');
  await expect(first.locator('pre.body')).toContainText('"username": "admin"');
  await expect(first.locator('li.t-passed')).toHaveCount(2);
  await expect(failed.locator('li.t-failed')).toHaveCount(2);
  await expect(failed.locator('li.t-failed').first()).toContainText("expected [ 'admin' ] to include 'no-such-group'");

  await page.click('nav.tabs button[data-view=signin]');
  await expect(page.locator('#view-signin')).toBeVisible();
  await expect(page.locator('#view-signin table.signin tbody tr')).toHaveCount(2);
  await page.click('[data-view=requests]');
  await page.click('#expand');
  await expect(page.locator('details.req[open]')).toHaveCount(7);

  // With every request open, the DOM holds everything the report has: no secret in it.
  const dom = await page.content();
  for (const secret of [...PASSWORDS, ...tokens, ...tokens.flatMap((t) => t.split('.').slice(1))]) {
    expect(dom.includes(secret), 'a secret is in the DOM').toBe(false);
    expect(html.includes(secret), 'a secret is in the file').toBe(false);
  }
  expect(attempted, 'requests the report tried to make').toEqual([]);
  expect(errors).toEqual([]);
  await context.close();
});
