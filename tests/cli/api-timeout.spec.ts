// Nothing hangs (issue 11): an API that never answers fails that request, by a default per-request
// timeout (COGNITO_NEWMAN_API_TIMEOUT_MS, 60 s unless set; newman's --timeout-request wins), the run
// goes on and the process exits; newman's whole-run --timeout ends a run that waits forever.
// Real sign-in against the emulator, real Newman, a real server on 127.0.0.1 that holds /hang open.
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '../fixtures/emulator.js';
import { runCli, describe } from '../fixtures/cli.js';
import { emulatorEnv } from './_emulator-requests.js';

let api: { url: string; stop: () => Promise<void> };
test.beforeEach(async () => {
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    if (req.url?.startsWith('/hang')) return; // never answered
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  server.on('connection', (s) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  api = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
});
test.afterEach(async () => {
  await api.stop();
});

function collection(dir: string): string {
  const file = join(dir, 'hung.json');
  const check = (name: string) => [{ listen: 'test', script: { type: 'text/javascript', exec: [`pm.test('${name} answers 200', () => pm.response.to.have.status(200));`] } }];
  writeFileSync(
    file,
    JSON.stringify({
      info: { name: 'hung api', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
      item: [
        { name: 'GET hung', request: { method: 'GET', url: `${api.url}/hang` }, event: check('hung') },
        { name: 'GET after', request: { method: 'GET', url: `${api.url}/ok` }, event: check('after') },
      ],
    }),
  );
  return file;
}

const ADMIN = { TEST_USER_USERNAME: 'admin', TEST_USER_PASSWORD: 'Admin-Passw0rd!' };

test('a hung API request times out by default: that request fails (exit 1, named), the next one runs, the process exits', async ({ emulator }) => {
  const cwd = mkdtempSync(join(tmpdir(), 'cn-hang-'));
  // No --timeout-request: the default applies (lowered here so the test takes seconds, not a minute).
  const r = await runCli(['run', collection(cwd)], { cwd, env: { CI: 'true', ...emulatorEnv(emulator), ...ADMIN, COGNITO_NEWMAN_API_TIMEOUT_MS: '1500' }, timeoutMs: 40_000 });
  expect(r.code, describe(r)).toBe(1);
  expect(r.stdout).toContain('after answers 200'); // the run went on
  expect(r.stderr).toMatch(/GET hung/); // named in the summary
  expect(r.stderr).toMatch(/ESOCKETTIMEDOUT|ETIMEDOUT|timed? ?out/i);
  expect(r.durationMs).toBeLessThan(25_000);
});

test('--timeout-request overrides the default, and newman\'s whole-run --timeout ends a run that would wait forever', async ({ emulator }) => {
  const cwd = mkdtempSync(join(tmpdir(), 'cn-hang-'));
  const r = await runCli(['run', collection(cwd), '--timeout-request', '0', '--timeout', '2500'], { cwd, env: { CI: 'true', ...emulatorEnv(emulator), ...ADMIN, COGNITO_NEWMAN_API_TIMEOUT_MS: '1' }, timeoutMs: 40_000 });
  expect(r.code, describe(r)).toBe(1);
  expect(r.stderr).toMatch(/--timeout|whole-run timeout|2500 ms/);
  expect(r.stderr).not.toContain('NEWMAN_INPUT');
  expect(r.durationMs).toBeLessThan(25_000);
});
