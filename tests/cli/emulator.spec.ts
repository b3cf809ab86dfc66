// `cognito-newman emulator` as a user starts it: the built CLI serves a pool from a config file
// (or the default pool), answers the OAuth endpoints, and stops cleanly on SIGTERM.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { CLI, REPO_ROOT, baseEnv, runCli, describe } from '../fixtures/cli.js';

interface Started {
  info: { baseUrl: string; issuer: string; poolId: string };
  stop(): Promise<number | null>;
}

/** Start the emulator CLI and wait for its JSON line on stdout (bounded by the test timeout). */
async function startCli(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, [CLI, 'emulator', '--port', '0', ...args], { env: baseEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  const closed = new Promise<number | null>((res) => child.on('close', (code) => res(code)));
  const lines = createInterface({ input: child.stdout });
  const info = await new Promise<Started['info']>((resolve, reject) => {
    lines.on('line', (line) => {
      if (line.startsWith('{')) resolve(JSON.parse(line) as Started['info']);
    });
    void closed.then((code) => reject(new Error(`emulator exited ${code} before it was ready`)));
  });
  return {
    info,
    stop: async () => {
      child.kill('SIGTERM');
      return closed;
    },
  };
}

test('serves the pool of a config file: discovery, JWKS and the client credentials grant', async () => {
  const emu = await startCli(['--config', join(REPO_ROOT, 'examples', 'emulator', 'my-pool.json')]);
  try {
    expect(emu.info.poolId).toBe('eu-west-1_MyPool42');
    const discovery = (await (await fetch(`${emu.info.issuer}/.well-known/openid-configuration`)).json()) as { issuer: string; token_endpoint: string };
    expect(discovery.issuer).toBe(emu.info.issuer);
    const jwks = (await (await fetch(`${emu.info.issuer}/.well-known/jwks.json`)).json()) as { keys: unknown[] };
    expect(jwks.keys).toHaveLength(2);
    const res = await fetch(discovery.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'my-batch-job', client_secret: 'change-me-batch-secret', scope: 'orders/read' }).toString(),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { access_token?: string }).access_token).toMatch(/^eyJ/);
  } finally {
    expect(await emu.stop()).toBe(0);
  }
});

test('the default pool is served without --config, and authorize sends the browser to /login', async () => {
  const emu = await startCli([]);
  try {
    expect(emu.info.poolId).toBe('us-east-1_DemoPool1');
    const q = new URLSearchParams({ response_type: 'code', client_id: 'demo-public-client', redirect_uri: 'https://oauth.pstmn.io/v1/callback' });
    const res = await fetch(`${emu.info.baseUrl}/oauth2/authorize?${q}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get('location')!, emu.info.baseUrl).pathname).toBe('/login');
  } finally {
    await emu.stop();
  }
});

test('an invalid config file is exit 2 naming the field', async ({}, testInfo) => {
  const file = testInfo.outputPath('bad-pool.json');
  await import('node:fs/promises').then((fs) => fs.writeFile(file, JSON.stringify({ UserPoolId: 'us-east-1_X1', UserPoolClients: [{ ClientId: 'c', CallbackURLs: [42] }] })));
  const r = await runCli(['emulator', '--port', '0', '--config', file]);
  expect(r.code, describe(r)).toBe(2);
  expect(r.stderr).toContain('UserPoolClients[0].CallbackURLs[0]');
});
