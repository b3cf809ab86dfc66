// Bench (issue 14, item 4): what a user waits for before the CLI does anything, in this checkout.
// npm 11's `npx cognito-newman` runs a package's own bin by installing the checkout into npx's
// cache and building it (cold), then checks it on every call (warm); `npm run -s cn --` and
// `node dist/src/cli.js` start the built CLI directly. Each figure is `--version`: start-up only.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { keyedFigure, type KeyedFigure } from './figure.js';

export type StartFigure = KeyedFigure;

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(performance.now() - started);
      else reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err.slice(-300)}`));
    });
  });
}

const figure = keyedFigure;

/**
 * The four ways to start the CLI in this checkout. `coldRuns` npx calls each get an empty npm cache
 * (a newcomer's first call; ~15 s each, so few); the others run `runs` times after a warm-up.
 */
export async function benchCliStart(opts: { root: string; runs: number; coldRuns?: number }): Promise<StartFigure[]> {
  const { root, runs } = opts;
  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const base = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
  const scratch = mkdtempSync(join(tmpdir(), 'cn-bench-start-'));
  const out: StartFigure[] = [];
  try {
    process.stderr.write('CLI start-up in this checkout (issue 14)\n');
    const cold: number[] = [];
    for (let i = 0; i < (opts.coldRuns ?? 2); i++) {
      const cache = join(scratch, `cold-${i}`);
      cold.push(await run(npx, ['--yes', 'cognito-newman', '--version'], root, { ...base, npm_config_cache: cache }, 300_000));
    }
    out.push(figure('startNpxCold', '`npx cognito-newman` in the checkout, first call (npx installs and builds the checkout)', cold));
    const warmCache = { ...base, npm_config_cache: join(scratch, 'cold-0') };
    const series = async (key: string, label: string, cmd: string, args: string[], env: NodeJS.ProcessEnv) => {
      await run(cmd, args, root, env, 120_000); // warm-up
      const times: number[] = [];
      for (let i = 0; i < runs; i++) times.push(await run(cmd, args, root, env, 120_000));
      out.push(figure(key, label, times));
    };
    await series('startNpxWarm', '`npx cognito-newman` in the checkout, every later call', npx, ['--yes', 'cognito-newman', '--version'], warmCache);
    await series('startNpmRun', '`npm run -s cn --` (what README shows in the checkout)', npm, ['run', '-s', 'cn', '--', '--version'], base);
    await series('startNode', '`node dist/src/cli.js` (the floor)', process.execPath, [join(root, 'dist', 'src', 'cli.js'), '--version'], base);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return out;
}
