// `cognito-newman install-browser` (issue 14, item 4): browser set-up as a command, not an install
// script npm 11 may skip. Through the built CLI: with a usable browser it installs nothing and says
// which one is used, exit 0; the skip variable of the postinstall does not silence the explicit command.
import { test, expect } from '@playwright/test';
import { runCli, describe } from '../fixtures/cli.js';
import { resolveBrowser } from '../../src/login/browser.js';

test('install-browser finds the browser already here, names it, exits 0 (even with the postinstall skip set)', async () => {
  const found = resolveBrowser();
  const r = await runCli(['install-browser'], { env: { COGNITO_NEWMAN_SKIP_BROWSER_INSTALL: '1', COGNITO_NEWMAN_BROWSER: found.path } });
  expect(r.code, describe(r)).toBe(0);
  expect(r.stderr).toContain(`browser: ${found.path}`);
  expect(r.stderr).toContain('nothing to install');
  expect(r.stderr).not.toContain('skipped');
});

test('install-browser is listed in --help', async () => {
  const r = await runCli(['--help']);
  expect(r.stdout, describe(r)).toMatch(/install-browser\s+install Chromium's headless shell/);
});
