// `npm run bench` figures for Managed Login (issue 10): the cold sign-in through the emulator's
// React + Cloudscape pages beside the classic page (medians, per-step), the time from submitting a
// wrong password to the rejection (exit 3), and the emulator's start-up with each UI.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startEmulator, type PoolConfig, type RunningEmulator } from 'cognito-newman-emulator';
import type { Config } from '../../src/config/types.js';
import { isCnError } from '../../src/errors.js';
import { createLogger } from '../../src/log.js';
import { launchBrowser } from '../../src/login/browser.js';
import { loginInBrowser } from '../../src/login/driver.js';
import { createLoginAttempt } from '../../src/oauth/authorize.js';
import { acquireTokens, type AcquiredUser } from '../../src/tokens/acquire.js';
import type { StepTimes } from '../../src/tokens/steps.js';

export interface ManagedBenchDeps {
  runs: number;
  root: string;
  pool: PoolConfig;
  configFor(emulator: RunningEmulator, users: string[], extra?: Record<string, string>): Promise<Config>;
  measure(key: string, label: string, runs: number, fn: () => Promise<unknown>): Promise<number>;
  measureSignIn(key: string, label: string, runs: number, fn: () => Promise<AcquiredUser[]>): Promise<number>;
  median(xs: number[]): number;
}

const quiet = createLogger('silent');

/** Milliseconds a fresh Node process takes for startEmulator (keys and bundles are per process). */
function startInFreshProcess(root: string, ui: 'classic' | 'managed'): Promise<number> {
  const index = join(root, 'packages', 'emulator', 'dist', 'src', 'index.js');
  const script = `const m = await import(${JSON.stringify(index)}); const t = performance.now(); const e = await m.startEmulator({ ui: ${JSON.stringify(ui)} }); process.stdout.write(String(performance.now() - t)); await e.stop();`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => (code === 0 ? resolve(Number(out)) : reject(new Error(`emulator start (${ui}) exited ${code}`))));
  });
}

export async function benchManagedLogin(d: ManagedBenchDeps): Promise<Record<string, number>> {
  process.stderr.write('Managed Login (issue 10)\n');
  const results: Record<string, number> = {};
  const classic = await startEmulator({ port: 0, config: d.pool, logger: quiet });
  // The default hydration delay (a realistic few hundred ms), and none: the page's own cost.
  const managed = await startEmulator({ port: 0, config: d.pool, ui: 'managed', logger: quiet });
  const managedNoDelay = await startEmulator({ port: 0, config: d.pool, ui: 'managed', logger: quiet, managedLogin: { hydrationDelayMs: 0, stepDelayMs: 0 } });
  try {
    const one = async (e: RunningEmulator) => d.configFor(e, ['bench1']);
    const [c, m, m0] = await Promise.all([one(classic), one(managed), one(managedNoDelay)]);
    results.classicCold = await d.measureSignIn('mlClassicCold', 'cold login + exchange, 1 user, classic Hosted UI', d.runs, () => acquireTokens({ config: c, logger: quiet }));
    results.managedCold = await d.measureSignIn('mlManagedCold', 'cold login + exchange, 1 user, Managed Login (default 300 ms hydration)', d.runs, () => acquireTokens({ config: m, logger: quiet }));
    results.managedColdNoDelay = await d.measureSignIn('mlManagedColdNoDelay', 'cold login + exchange, 1 user, Managed Login (hydration delay 0)', d.runs, () =>
      acquireTokens({ config: m0, logger: quiet }),
    );

    // A wrong password: from the click on "Sign in" to the rejection the CLI turns into exit 3.
    const browser = await launchBrowser({ blockedHosts: ['oauth.pstmn.io'] });
    try {
      const rejectMs: number[] = [];
      const idp = m.idp;
      const user = { ...m.users[0]!, password: 'Wrong-Passw0rd!' };
      await d.measure('mlWrongPassword', 'wrong password on Managed Login, page open to rejection (browser running)', d.runs, async () => {
        const steps: StepTimes = [];
        const start = performance.now();
        try {
          await loginInBrowser({ browser, idp, user, attempt: createLoginAttempt(idp), artifactsDir: join(d.root, 'bench-artifacts'), timeoutMs: 30_000, logger: quiet, steps });
          throw new Error('the wrong password was accepted');
        } catch (err) {
          if (!isCnError(err) || err.exitCode !== 3) throw err;
        }
        const total = performance.now() - start;
        // The laps up to and including the submit; what follows is the wait for Cognito's answer.
        const submitted = steps.findIndex((s) => s.name.endsWith('filled and submitted'));
        const upToSubmit = steps.slice(0, submitted + 1).reduce((sum, s) => sum + s.ms, 0);
        rejectMs.push(total - upToSubmit);
        managed.reset();
      });
      results.wrongPasswordToExit3 = d.median(rejectMs.slice(1));
      process.stderr.write(`    of which submit to rejection (exit 3): median ${results.wrongPasswordToExit3.toFixed(0)} ms\n`);
    } finally {
      await browser.close();
    }
  } finally {
    await Promise.all([classic.stop(), managed.stop(), managedNoDelay.stop()]);
  }

  // Start-up in a fresh process: the managed renderer loads in the background, so both should match.
  const classicStart: number[] = [];
  const managedStart: number[] = [];
  for (let i = 0; i < d.runs; i++) {
    classicStart.push(await startInFreshProcess(d.root, 'classic'));
    managedStart.push(await startInFreshProcess(d.root, 'managed'));
  }
  results.startClassic = d.median(classicStart);
  results.startManaged = d.median(managedStart);
  process.stderr.write(`  emulator start in a fresh process: classic median ${results.startClassic.toFixed(0)} ms, managed median ${results.startManaged.toFixed(0)} ms\n`);
  return results;
}

/** The table rows of these figures. */
export function managedBenchRows(r: Record<string, number>): { figure: string; value: number; unit: 'ms' | '×' }[] {
  const rows: { figure: string; value: number; unit: 'ms' | '×' }[] = [];
  const add = (figure: string, v: number | undefined, unit: 'ms' | '×' = 'ms') => v !== undefined && !Number.isNaN(v) && rows.push({ figure, value: unit === 'ms' ? Math.round(v) : Math.round(v * 100) / 100, unit });
  add('cold login, classic Hosted UI', r.classicCold);
  add('cold login, Managed Login (React, 300 ms hydration)', r.managedCold);
  add('cold login, Managed Login (React, no hydration delay)', r.managedColdNoDelay);
  if (r.managedColdNoDelay !== undefined && r.classicCold !== undefined) add('Managed Login (no delay) / classic, cold', r.managedColdNoDelay / r.classicCold, '×');
  add('wrong password on Managed Login: submit to exit 3', r.wrongPasswordToExit3);
  add('emulator start, classic (fresh process)', r.startClassic);
  add('emulator start, managed (fresh process)', r.startManaged);
  return rows;
}
