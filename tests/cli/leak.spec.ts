// The leak test: every `token` scenario (the shared table in _token-scenarios.ts) runs again with
// --debug (the most talkative output), with HOME and TMPDIR inside its cwd, and stdout, stderr and
// every file the run left (diagnostics, screenshots, the token cache, anything under HOME/TMPDIR)
// are searched for the password, the TOTP secret, the client secret, the authorization code, the
// PKCE verifier and the tokens. The emulator's `observed` record supplies the code, verifier and
// token values, which only it and the CLI ever knew. Allowed: tokens on a successful run's stdout
// (what `token` is for) and tokens inside the token cache's own folder (what the cache is for).
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test, expect } from '@playwright/test';
import { launchBrowser } from '../../src/login/browser.js';
import { authorizeQuery } from '../fixtures/emulator-http.js';
import { SCENARIOS, runScenario, scenario, diagnosticsDir, describe, type ScenarioRun } from './_token-scenarios.js';
import { filesUnder } from '../fixtures/files.js';

test.describe.configure({ mode: 'parallel' });

interface Needle {
  /** What the value is, for the failure message (never the value itself). */
  what: string;
  value: string;
  token: boolean;
}

/** The forms a secret can travel in: as is, URL-encoded (query, form body), base64 (Basic auth). */
function forms(what: string, value: string): Needle[] {
  const out = new Map<string, string>([[value, what]]);
  out.set(encodeURIComponent(value), `${what} (URL-encoded)`);
  out.set(new URLSearchParams({ v: value }).toString().slice(2), `${what} (form-encoded)`);
  out.set(Buffer.from(value).toString('base64'), `${what} (base64)`);
  return [...out].map(([v, w]) => ({ what: w, value: v, token: false }));
}

/** Everything secret this run involved. */
function needlesOf(run: ScenarioRun): Needle[] {
  const env = run.env;
  const needles: Needle[] = [];
  for (const key of ['TEST_USER_PASSWORD', 'TEST_USER_TOTP_SECRET', 'COGNITO_CLIENT_SECRET']) {
    const v = env[key];
    if (v) needles.push(...forms(key, v));
  }
  const id = env.COGNITO_CLIENT_ID;
  const secret = env.COGNITO_CLIENT_SECRET;
  if (id && secret) {
    // RFC 6749 2.3.1: Basic credentials are form-encoded before base64.
    for (const pair of [`${id}:${secret}`, `${encodeURIComponent(id)}:${encodeURIComponent(secret)}`]) {
      needles.push({ what: 'the Basic client credentials', value: Buffer.from(pair).toString('base64'), token: false });
    }
  }
  const o = run.emulator.observed;
  o.codes.forEach((c, i) => needles.push({ what: `authorization code #${i + 1}`, value: c, token: false }));
  o.codeVerifiers.forEach((v, i) => needles.push({ what: `PKCE verifier #${i + 1}`, value: v, token: false }));
  o.tokens.forEach((t, i) => {
    needles.push({ what: `token #${i + 1}`, value: t, token: true });
    // A JWT cut short or split still gives its claims or signature away.
    const parts = t.split('.');
    if (parts.length === 3) {
      needles.push({ what: `token #${i + 1} (claims)`, value: parts[1]!, token: true });
      needles.push({ what: `token #${i + 1} (signature)`, value: parts[2]!, token: true });
    }
  });
  return needles;
}

function found(haystack: string | Buffer, needles: Needle[]): string[] {
  const buf = typeof haystack === 'string' ? Buffer.from(haystack) : haystack;
  return needles.filter((n) => buf.includes(n.value)).map((n) => n.what);
}


for (const s of SCENARIOS) {
  test(`no secret in any output or file: ${s.id}`, async () => {
    const run = await runScenario(s, { extraArgs: ['--debug'], confineHome: true, skipCheck: true });
    const needles = needlesOf(run);
    const secrets = needles.filter((n) => !n.token);
    const cacheDir = run.env.COGNITO_NEWMAN_CACHE_DIR;

    for (const [i, out] of run.outputs.entries()) {
      const label = `run ${i + 1} of ${run.outputs.length}`;
      // Tokens belong on stdout of a successful run only; the other secrets never.
      expect(found(out.stdout, out.code === 0 ? secrets : needles), `${label} stdout\n${describe(out)}`).toEqual([]);
      expect(found(out.stderr, needles), `${label} stderr\n${describe(out)}`).toEqual([]);
      if (out.code === 0) {
        // The search works: the printed tokens are found by it.
        expect(found(out.stdout, needles.filter((n) => n.token)).length, `${label}: the tokens on stdout are found`).toBeGreaterThan(0);
      }
    }

    const files = filesUnder(run.cwd);
    for (const file of files) {
      const inCache = cacheDir !== undefined && !relative(cacheDir, file).startsWith('..');
      const hits = found(readFileSync(file), inCache ? secrets : needles);
      expect(hits, `${relative(run.cwd, file)} holds secrets`).toEqual([]);
    }
    // Where the run wrote something, the search above looked at it.
    if (s.id === 'diagnostics') expect(files.some((f) => f.endsWith('page.png'))).toBe(true);
    if (cacheDir) {
      expect(files.some((f) => !relative(cacheDir, f).startsWith('..'))).toBe(true);
      await s.check?.(run); // the second run did refresh (so the refresh grant's output was searched)
    }
  });
}

test('diagnostics screenshot: the typed password field is masked, the username field is not', async () => {
  const browser = await launchBrowser();
  try {
    await runScenario(scenario('diagnostics'), {
      extraArgs: ['--debug'],
      skipCheck: true,
      inspect: async (run) => {
        // The password had been typed (and stayed in its field) when the sign-in timed out.
        expect(run.result.stderr, describe(run.result)).toContain('debug: submitting username and password');
        const png = readFileSync(join(diagnosticsDir(run), 'page.png'));
        // Where the fields are on the page the CLI saw: the same page, the driver's 1280x720 viewport.
        const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
        await page.goto(`${run.emulator.baseUrl}/login?${authorizeQuery()}`);
        const box = async (sel: string) => (await page.locator(sel).filter({ visible: true }).first().boundingBox())!;
        const password = await box('#signInFormPassword');
        const username = await box('#signInFormUsername');
        // Chromium decodes the PNG; count Playwright's mask colour (#FF00FF) inside each box.
        const share = await page.evaluate(
          async ({ b64, boxes }) => {
            const img = new Image();
            img.src = `data:image/png;base64,${b64}`;
            await img.decode();
            const canvas = document.createElement('canvas');
            canvas.width = img.width;
            canvas.height = img.height;
            const ctx = canvas.getContext('2d')!;
            ctx.drawImage(img, 0, 0);
            const magenta = (b: { x: number; y: number; width: number; height: number }) => {
              // Inset by 2 px: borders and anti-aliased edges are not the field's content.
              const d = ctx.getImageData(Math.round(b.x) + 2, Math.round(b.y) + 2, Math.round(b.width) - 4, Math.round(b.height) - 4).data;
              let n = 0;
              for (let i = 0; i < d.length; i += 4) if (d[i] === 255 && d[i + 1] === 0 && d[i + 2] === 255) n++;
              return n / (d.length / 4);
            };
            return { size: [img.width, img.height], password: magenta(boxes.password), username: magenta(boxes.username) };
          },
          { b64: png.toString('base64'), boxes: { password, username } },
        );
        await page.close();
        expect(share.size).toEqual([1280, 720]);
        expect(share.password, 'the password field is covered by the mask').toBeGreaterThan(0.98);
        expect(share.username, 'only secret fields are masked').toBeLessThan(0.02);
        // The visible-text file is the page's text, with no field value in it.
        const text = readFileSync(join(diagnosticsDir(run), 'page-text.txt'), 'utf8');
        expect(text).toContain('Sign in with your username and password');
        expect(text).not.toContain(run.env.TEST_USER_PASSWORD!);
      },
    });
  } finally {
    await browser.close();
  }
});
