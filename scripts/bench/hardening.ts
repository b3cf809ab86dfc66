// `npm run bench -- --soak [N]` and `--faults`: the hardening figures of issue 11. The soak signs in
// N times in a row (both login UIs, several users, a fresh browser per round as a CLI run has) and
// reports failures (the goal is zero) and the spread of times; the fault matrix runs the built CLI
// against each injected fault and prints its exit code and how long it took against the bound the
// README documents. Everything on 127.0.0.1: the emulator, a tiny API, a hung server, a dead port.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startEmulator, DEFAULT_POOL, type PoolConfig, type RunningEmulator } from 'cognito-newman-emulator';
import { loadConfig } from '../../src/config/load.js';
import { DEFAULTS } from '../../src/config/keys.js';
import { acquireTokens } from '../../src/tokens/acquire.js';
import { createLogger } from '../../src/log.js';
import { isCnError } from '../../src/errors.js';
import { DIAGNOSTICS_GRACE_MS } from '../../src/login/diagnostics.js';
import { packageRoot } from '../../src/package-root.js';

const quiet = createLogger('silent');
const CLI = join(packageRoot(), 'dist', 'src', 'cli.js');
const CLIENT = 'demo-public-client';
const SOAK_USERS = ['soak1', 'soak2', 'soak3'];
const SOAK_PASSWORD = 'Soak-Passw0rd!';

function soakPool(): PoolConfig {
  const users = [...(DEFAULT_POOL.Users ?? []), ...SOAK_USERS.map((u) => ({ Username: u, Password: SOAK_PASSWORD, Attributes: [{ Name: 'email', Value: `${u}@example.com` }, { Name: 'email_verified', Value: 'true' }] }))];
  return { ...DEFAULT_POOL, Users: users } as PoolConfig;
}

function usersEnv(emulator: RunningEmulator, users: string[]): Record<string, string> {
  const env: Record<string, string> = { COGNITO_DOMAIN: emulator.baseUrl, COGNITO_CLIENT_ID: CLIENT, COGNITO_USER_POOL_ID: emulator.poolId, COGNITO_ISSUER: emulator.issuer, TEST_USERS: users.join(',') };
  for (const u of users) {
    env[`TEST_USER_${u.toUpperCase()}_USERNAME`] = u;
    env[`TEST_USER_${u.toUpperCase()}_PASSWORD`] = SOAK_PASSWORD;
  }
  return env;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;

export interface SoakResult {
  ui: string;
  signIns: number;
  failures: { code: string; count: number }[];
  ms: { min: number; p50: number; p90: number; p99: number; max: number };
}

/**
 * N sign-ins in rounds of SOAK_USERS.length users at once, alternating the classic and the managed
 * login UI, each round with a fresh browser (what one `cognito-newman run` pays).
 */
export async function runSoak(total: number, write: (s: string) => void): Promise<SoakResult[]> {
  const work = mkdtempSync(join(tmpdir(), 'cn-soak-'));
  const emulators = { classic: await startEmulator({ port: 0, config: soakPool(), logger: quiet }), managed: await startEmulator({ port: 0, config: soakPool(), ui: 'managed', logger: quiet }) };
  const per: Record<'classic' | 'managed', { times: number[]; failures: Map<string, number> }> = {
    classic: { times: [], failures: new Map() },
    managed: { times: [], failures: new Map() },
  };
  try {
    const configs = {
      classic: await loadConfig({ env: { ...usersEnv(emulators.classic, SOAK_USERS), COGNITO_NEWMAN_ARTIFACTS_DIR: join(work, 'artifacts') }, envFile: false, logger: quiet }),
      managed: await loadConfig({ env: { ...usersEnv(emulators.managed, SOAK_USERS), COGNITO_NEWMAN_ARTIFACTS_DIR: join(work, 'artifacts') }, envFile: false, logger: quiet }),
    };
    let done = 0;
    let round = 0;
    while (done < total) {
      const ui = round++ % 2 === 0 ? 'classic' : 'managed';
      const n = Math.min(SOAK_USERS.length, total - done);
      const config = { ...configs[ui], users: configs[ui].users.slice(0, n) };
      const started = performance.now();
      try {
        const users = await acquireTokens({ config, logger: quiet });
        for (const u of users) per[ui].times.push(u.durationMs);
      } catch (err) {
        const code = isCnError(err) ? err.code : err instanceof Error ? err.name : 'error';
        per[ui].failures.set(code, (per[ui].failures.get(code) ?? 0) + 1);
        write(`    round ${round} (${ui}) failed after ${Math.round(performance.now() - started)} ms: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}\n`);
      }
      // Each emulator keeps its sessions and lockouts otherwise: a soak measures sign-ins, not a growing store.
      emulators[ui].reset();
      done += n;
      if (round % 10 === 0) write(`    ${done}/${total} sign-ins\n`);
    }
  } finally {
    await emulators.classic.stop();
    await emulators.managed.stop();
    rmSync(work, { recursive: true, force: true });
  }
  return (['classic', 'managed'] as const).map((ui) => {
    const sorted = [...per[ui].times].sort((a, b) => a - b);
    const failed = [...per[ui].failures].reduce((s, [, c]) => s + c, 0);
    return {
      ui,
      signIns: sorted.length + failed,
      failures: [...per[ui].failures].map(([code, count]) => ({ code, count })),
      ms: { min: sorted[0] ?? NaN, p50: pct(sorted, 50), p90: pct(sorted, 90), p99: pct(sorted, 99), max: sorted.at(-1) ?? NaN },
    };
  });
}

// --- the fault matrix ---------------------------------------------------------------------------

interface FaultCase {
  name: string;
  /** The exit code the contract gives this fault. */
  expect: number;
  /** The documented bound on how long the CLI may take, in ms. */
  boundMs: number;
  bound: string;
  run: (ctx: MatrixContext) => Promise<{ code: number | null; ms: number; stderr: string }>;
}

interface MatrixContext {
  emulator: RunningEmulator;
  env: Record<string, string>;
  work: string;
  apiUrl: string;
  hungUrl: string;
  deadUrl: string;
}

function runCli(args: string[], env: Record<string, string>, cwd: string, hardStopMs: number): Promise<{ code: number | null; ms: number; stderr: string }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    // Far beyond every bound: a case that gets here is reported as hung, not waited on forever.
    const timer = setTimeout(() => child.kill('SIGKILL'), hardStopMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, ms: Math.round(performance.now() - started), stderr });
    });
  });
}

const LOGIN_BOUND = DEFAULTS.loginTimeoutMs + DIAGNOSTICS_GRACE_MS;
const START_SLACK = 5_000; // Node start, Playwright load, browser launch on a loaded 2-core machine
const HUNG_API_TIMEOUT_MS = 10_000;
const SHORT_LOGIN_TIMEOUT_MS = 10_000;

const token = (ctx: MatrixContext, extra: Record<string, string> = {}) => runCli(['token', '--silent'], { ...ctx.env, ...extra }, ctx.work, 120_000);
const runTo = (ctx: MatrixContext, baseUrl: string, extra: Record<string, string> = {}) =>
  runCli(['run', join(ctx.work, 'collection.json'), '--env-var', `baseUrl=${baseUrl}`, '-r', 'cli', '--silent'], { ...ctx.env, ...extra }, ctx.work, 180_000);

const CASES: FaultCase[] = [
  { name: '429 burst at the token endpoint (3×, Retry-After 1 s)', expect: 0, boundMs: LOGIN_BOUND + DEFAULTS.tokenDeadlineMs, bound: 'login timeout + token deadline', run: (c) => (c.emulator.faults.failNext('token', 3, 429, { retryAfterSeconds: 1 }), token(c)) },
  { name: '5xx burst at the token endpoint (3× 503)', expect: 0, boundMs: LOGIN_BOUND + DEFAULTS.tokenDeadlineMs, bound: 'login timeout + token deadline', run: (c) => (c.emulator.faults.failNext('token', 3, 503), token(c)) },
  // A code is single use: a 500 may come after the pool redeemed it, so the exchange is not resent (exit 4 at once, not invalid_grant).
  { name: '500 to the code exchange (not resent)', expect: 4, boundMs: LOGIN_BOUND + START_SLACK, bound: 'sign-in + one token request', run: (c) => (c.emulator.faults.failNext('token', 3, 500), token(c)) },
  { name: '5xx on the sign-in page (2× 502)', expect: 4, boundMs: LOGIN_BOUND + START_SLACK, bound: 'login timeout + grace', run: (c) => (c.emulator.faults.failNext('login', 2, 502), token(c)) },
  {
    name: 'latency: 300 ms on every IdP answer',
    expect: 0,
    boundMs: LOGIN_BOUND + DEFAULTS.tokenDeadlineMs,
    bound: 'login timeout + token deadline',
    run: (c) => {
      for (const ep of ['authorize', 'login', 'token', 'jwks', 'discovery'] as const) c.emulator.faults.setLatency(ep, 300);
      return token(c);
    },
  },
  { name: 'slow sign-in page (5 s to answer)', expect: 0, boundMs: LOGIN_BOUND, bound: 'login timeout', run: (c) => (c.emulator.faults.setSlowLoginPage(5_000), token(c)) },
  {
    name: `sign-in page never answers (login timeout ${SHORT_LOGIN_TIMEOUT_MS / 1000} s)`,
    expect: 4,
    boundMs: SHORT_LOGIN_TIMEOUT_MS + DIAGNOSTICS_GRACE_MS + START_SLACK,
    bound: 'login timeout + diagnostics grace',
    run: (c) => (c.emulator.faults.setSlowLoginPage(600_000), token(c, { COGNITO_NEWMAN_LOGIN_TIMEOUT_MS: String(SHORT_LOGIN_TIMEOUT_MS) })),
  },
  { name: 'token endpoint hangs', expect: 4, boundMs: LOGIN_BOUND + DEFAULTS.tokenDeadlineMs, bound: 'login + token deadline', run: (c) => (c.emulator.faults.setLatency('token', 600_000), token(c)) },
  { name: 'dead IdP (nothing listens)', expect: 4, boundMs: START_SLACK + 5_000, bound: 'connection refused at once', run: (c) => token(c, { COGNITO_DOMAIN: c.deadUrl, COGNITO_ISSUER: `${c.deadUrl}/x` }) },
  { name: 'dead API (nothing listens)', expect: 1, boundMs: LOGIN_BOUND + 10_000, bound: 'sign-in + refused requests', run: (c) => runTo(c, c.deadUrl) },
  {
    name: `hung API (API timeout ${HUNG_API_TIMEOUT_MS / 1000} s)`,
    expect: 1,
    boundMs: LOGIN_BOUND + HUNG_API_TIMEOUT_MS + 2_000,
    bound: 'sign-in + API timeout + exit grace',
    run: (c) => runTo(c, c.hungUrl, { COGNITO_NEWMAN_API_TIMEOUT_MS: String(HUNG_API_TIMEOUT_MS) }),
  },
];

export interface FaultResult {
  name: string;
  expected: number;
  code: number | null;
  ms: number;
  boundMs: number;
  bound: string;
  ok: boolean;
}

async function listen(handler: http.RequestListener): Promise<{ url: string; stop: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = http.createServer(handler);
  server.on('connection', (s) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** A port nothing listens on: bound, closed, not reused before the matrix ends (the kernel hands ports out in turn). */
async function deadPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export async function runFaultMatrix(write: (s: string) => void, only?: string): Promise<FaultResult[]> {
  const work = mkdtempSync(join(tmpdir(), 'cn-faults-'));
  const emulator = await startEmulator({ port: 0, config: soakPool(), logger: quiet });
  const api = await listen((_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
  const hung = await listen(() => undefined);
  writeFileSync(
    join(work, 'collection.json'),
    JSON.stringify({
      info: { name: 'fault matrix', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
      item: [{ name: 'GET /ok', request: { method: 'GET', url: '{{baseUrl}}/ok', header: [{ key: 'Authorization', value: 'Bearer {{soak1_accessToken}}' }] }, event: [{ listen: 'test', script: { type: 'text/javascript', exec: ["pm.test('200', () => pm.response.to.have.status(200));"] } }] }],
    }),
  );
  const ctx: MatrixContext = {
    emulator,
    env: { CI: 'true', ...usersEnv(emulator, ['soak1']), COGNITO_NEWMAN_ARTIFACTS_DIR: join(work, 'artifacts') },
    work,
    apiUrl: api.url,
    hungUrl: hung.url,
    deadUrl: `http://127.0.0.1:${await deadPort()}`,
  };
  const results: FaultResult[] = [];
  try {
    for (const c of CASES.filter((x) => !only || x.name.includes(only))) {
      emulator.reset();
      const r = await c.run(ctx);
      const ok = r.code === c.expect && r.ms <= c.boundMs;
      results.push({ name: c.name, expected: c.expect, code: r.code, ms: r.ms, boundMs: c.boundMs, bound: c.bound, ok });
      write(`  ${ok ? 'ok  ' : 'FAIL'} ${c.name}: exit ${r.code ?? 'killed'} (expected ${c.expect}) in ${r.ms} ms (bound ${c.boundMs} ms: ${c.bound})\n`);
      if (!ok) write(`       ${r.stderr.trim().split('\n').slice(-2).join(' | ')}\n`);
    }
  } finally {
    emulator.reset();
    await hung.stop();
    await api.stop();
    await emulator.stop();
    rmSync(work, { recursive: true, force: true });
  }
  return results;
}

/** The whole hardening bench as `scripts/bench.ts` calls it; prints a table and returns whether everything held. */
export async function runHardeningBench(args: string[], json: boolean): Promise<boolean> {
  const write = (s: string) => void process.stderr.write(s);
  const at = args.indexOf('--soak');
  const next = at >= 0 ? args[at + 1] : undefined;
  const soakN = at >= 0 ? Math.max(1, Number(next && /^\d+$/.test(next) ? next : 100)) : 0;
  const onlyFaults = args.includes('--faults');
  let soak: SoakResult[] = [];
  if (soakN > 0 && !onlyFaults) {
    write(`soak: ${soakN} sign-ins, classic and managed login, ${SOAK_USERS.length} users at a time, a fresh browser per round\n`);
    soak = await runSoak(soakN, write);
  }
  write('fault matrix: the built CLI against each fault (exit code, time, documented bound)\n');
  const faults = await runFaultMatrix(write, args.includes('--fault') ? args[args.indexOf('--fault') + 1] : undefined);
  if (json) {
    process.stdout.write(JSON.stringify({ soak, faults }, null, 2) + '\n');
  } else {
    const lines: string[] = [];
    if (soak.length) {
      lines.push('', '| login UI | sign-ins | failures | min | p50 | p90 | p99 | max |', '|---|---|---|---|---|---|---|---|');
      for (const s of soak) {
        const f = s.failures.length ? s.failures.map((x) => `${x.count} ${x.code}`).join(', ') : '0';
        lines.push(`| ${s.ui} | ${s.signIns} | ${f} | ${s.ms.min} ms | ${s.ms.p50} ms | ${s.ms.p90} ms | ${s.ms.p99} ms | ${s.ms.max} ms |`);
      }
    }
    lines.push('', '| fault | exit (expected) | time | bound | held |', '|---|---|---|---|---|');
    for (const f of faults) lines.push(`| ${f.name} | ${f.code ?? 'killed'} (${f.expected}) | ${f.ms} ms | ${f.boundMs} ms (${f.bound}) | ${f.ok ? 'yes' : 'NO'} |`);
    process.stdout.write(lines.join('\n') + '\n');
  }
  return soak.every((s) => s.failures.length === 0) && faults.every((f) => f.ok);
}
