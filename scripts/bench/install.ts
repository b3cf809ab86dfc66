// Install figures (issue 17): what a consumer's `npm install` of the packed tarballs costs (package
// count, node_modules size on disk, wall time), next to Newman alone installed the same way into a
// scratch project. Shared by the package test (tests/package/package.spec.ts), which holds the goal,
// and `npm run bench -- --only install`, which prints the table. npm's cache makes both offline-fast;
// the time is therefore a warm-cache figure, the count and the size are exact.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Packages only the emulator (or its Managed Login build) needs: the runner must bring none of them. */
export const EMULATOR_ONLY_PACKAGES = [
  'cognito-newman-emulator',
  'oidc-provider',
  'koa',
  'samlify',
  '@node-saml/node-saml',
  'xml-crypto',
  '@xmldom/xmldom',
  'selfsigned',
  'pkijs',
  '@peculiar/x509',
  'react',
  'react-dom',
  '@cloudscape-design/components',
  'esbuild',
] as const;

/** The runner's size goal against Newman alone (issue 17). */
export const SIZE_GOAL_RATIO = 1.6;

export interface InstallFigure {
  label: string;
  /** Entries of node_modules/.package-lock.json: every package npm placed. */
  packages: number;
  /** `du -sk node_modules` × 1024: the disk the install takes. */
  bytes: number;
  ms: number;
  /** Package names placed (node_modules/<name>, nested ones included), for "brings no X" checks. */
  names: Set<string>;
}

/**
 * `npm pack` the runner (repository root), the emulator (packages/emulator) and the package both stand
 * on (packages/common) into `dest`; built dist/ is packed as it is. `runner` is the runner's tarball with
 * common's beside it, as npm would fetch both for a consumer (common is not on a registry here).
 */
export function packTarballs(root: string, dest: string): { runner: string[]; emulator: string; common: string } {
  const pack = (cwd: string) => {
    const r = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dest], { cwd, encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw new Error(`npm pack in ${cwd} failed: ${r.stderr}`);
    return join(dest, (JSON.parse(r.stdout) as { filename: string }[])[0]!.filename);
  };
  const common = pack(join(root, 'packages', 'common'));
  return { runner: [common, pack(root)], emulator: pack(join(root, 'packages', 'emulator')), common };
}

/** The files a tarball ships (`tar -tzf`), without the leading `package/`. */
export function tarballFiles(tarball: string): string[] {
  const r = spawnSync('tar', ['-tzf', tarball], { encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.status !== 0) throw new Error(`tar -tzf ${tarball} failed: ${r.stderr}`);
  return r.stdout.split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
}

/** A scratch project at `dir` (made when missing), as `npm init` would leave it. */
export function scratchProject(dir: string, name: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name, private: true, type: 'module' }, null, 2)}\n`);
}

/** `npm install <specs>` in `dir`, bounded; resolves with the figures of the whole node_modules afterwards. */
export async function measureInstall(dir: string, specs: string[], label: string, env: NodeJS.ProcessEnv = process.env, timeoutMs = 240_000): Promise<InstallFigure> {
  const started = performance.now();
  const { status, output } = await new Promise<{ status: number | null; output: string }>((resolve) => {
    const child = spawn('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...specs], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ status: code, output: out });
    });
  });
  const ms = performance.now() - started;
  if (status !== 0) throw new Error(`npm install ${specs.join(' ')} in ${dir} exited ${status}:\n${output.slice(-3000)}`);
  return { label, ms, ...nodeModulesFigures(dir) };
}

/** Package count, names and disk size of `dir`/node_modules as npm left it. */
export function nodeModulesFigures(dir: string): { packages: number; bytes: number; names: Set<string> } {
  const lock = JSON.parse(readFileSync(join(dir, 'node_modules', '.package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
  const keys = Object.keys(lock.packages).filter((k) => k.includes('node_modules/'));
  const names = new Set(keys.map((k) => k.slice(k.lastIndexOf('node_modules/') + 'node_modules/'.length)));
  const du = spawnSync('du', ['-sk', join(dir, 'node_modules')], { encoding: 'utf8' });
  return { packages: keys.length, bytes: Number(du.stdout.split('\t')[0]) * 1024, names };
}

/** The version of `dep` the runner pins, so Newman alone is the Newman the runner brings. */
export function pinnedVersion(root: string, dep: string): string {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const v = pkg.dependencies?.[dep];
  if (!v) throw new Error(`${dep} is not a dependency of ${root}/package.json`);
  return v;
}

/** Three scratch installs: Newman alone, the runner's tarball alone, then the emulator's tarball added beside it. */
export async function benchInstall(root: string, work: string): Promise<InstallFigure[]> {
  const { runner, emulator } = packTarballs(root, work);
  const newmanDir = join(work, 'newman-alone');
  const appDir = join(work, 'consumer');
  scratchProject(newmanDir, 'newman-alone');
  scratchProject(appDir, 'consumer');
  const newman = await measureInstall(newmanDir, [`newman@${pinnedVersion(root, 'newman')}`], 'Newman alone (`npm i newman`)');
  const ours = await measureInstall(appDir, runner, 'cognito-newman (runner tarball)');
  const both = await measureInstall(appDir, [emulator], '+ cognito-newman-emulator (its tarball, added beside)');
  return [newman, ours, both];
}

/** The bench's table: Newman alone, the runner alone, both packages; the goal on the first two. */
export function benchInstallRows(figures: InstallFigure[]): string[] {
  const [newman, ours] = figures;
  return installRows(figures, newman && ours ? { newman, ours } : undefined);
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** Markdown rows: the installs, then (given the pair) the runner's size against Newman alone and its goal. */
export function installRows(figures: InstallFigure[], ratio?: { ours: InstallFigure; newman: InstallFigure }): string[] {
  const { ours, newman } = ratio ?? {};
  const lines = ['', '| consumer install (warm npm cache) | packages | node_modules | time |', '|---|---|---|---|'];
  for (const f of figures) lines.push(`| ${f.label} | ${f.packages} | ${mb(f.bytes)} | ${(f.ms / 1000).toFixed(1)} s |`);
  if (newman && ours) {
    const ratio = ours.bytes / newman.bytes;
    lines.push(`| runner / Newman alone, node_modules size | | ${ratio.toFixed(2)}× | goal ≤ ${SIZE_GOAL_RATIO}×: ${ratio <= SIZE_GOAL_RATIO ? 'met' : 'NOT met'} |`);
  }
  return lines;
}
