// Playwright global set-up: the CLI, package and bench tests run the built dist/, so a build older
// than its sources would be tested silently. Every source a build compiles (read from each
// tsconfig.build.json, this package's and any workspace package's) is compared with the file it
// becomes; anything newer than its output, or without one, means `npm run build` runs first, and a
// build that fails or leaves a stale file stops the run with the file named.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** A build output and the source it must not be older than. */
interface Pair {
  source: string;
  output: string;
}

const mtime = (file: string): number => (existsSync(file) ? statSync(file).mtimeMs : -1);

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** What tsc writes for each file of one tsconfig.build.json (outDir mirrors rootDir). */
function tscPairs(configFile: string): Pair[] {
  const read = ts.readConfigFile(configFile, ts.sys.readFile);
  if (read.error) throw new Error(`${relative(ROOT, configFile)}: ${ts.flattenDiagnosticMessageText(read.error.messageText, '\n')}`);
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(configFile));
  const outDir = parsed.options.outDir;
  if (!outDir) return [];
  const rootDir = parsed.options.rootDir ?? dirname(configFile);
  return parsed.fileNames
    .filter((f) => !f.endsWith('.d.ts') && /\.(ts|tsx|mts)$/.test(f))
    .map((source) => ({ source, output: join(outDir, relative(rootDir, source)).replace(/\.tsx?$/, '.js').replace(/\.mts$/, '.mjs') }));
}

/** The Managed Login app, bundled by esbuild: every file of it against the server bundle. */
function bundlePairs(packageDir: string): Pair[] {
  const app = [join(packageDir, 'src', 'emulator', 'managed-login', 'app'), join(packageDir, 'src', 'managed-login', 'app')].find(existsSync);
  if (!app) return [];
  const output = join(packageDir, 'dist', 'managed-login', 'server.mjs');
  return filesUnder(app).map((source) => ({ source, output }));
}

/** Every (source, output) pair of this package and its workspace packages. */
export function buildPairs(root: string = ROOT): Pair[] {
  const packages = [root, ...readdirSafe(join(root, 'packages')).map((p) => join(root, 'packages', p))];
  const pairs: Pair[] = [];
  for (const dir of packages) {
    const config = join(dir, 'tsconfig.build.json');
    if (existsSync(config)) pairs.push(...tscPairs(config));
    pairs.push(...bundlePairs(dir));
  }
  return pairs;
}

function readdirSafe(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((e) => statSync(join(dir, e)).isDirectory()) : [];
}

/** The pairs whose output is missing or older than its source. */
export function staleOutputs(pairs: Pair[] = buildPairs()): Pair[] {
  return pairs.filter((p) => mtime(p.output) < mtime(p.source));
}

export default function globalSetup(): void {
  const stale = staleOutputs();
  if (stale.length === 0) return;
  const first = stale[0]!;
  const why = `${relative(ROOT, first.source)} is newer than ${relative(ROOT, first.output)}${stale.length > 1 ? ` (and ${stale.length - 1} more)` : ''}`;
  process.stderr.write(`[tests] dist/ is older than its sources: ${why}; running npm run build first.\n`);
  const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit', timeout: 300_000 });
  if (build.status !== 0) throw new Error(`npm run build failed (exit ${build.status ?? build.signal}): the tests would run an old dist/. Fix the build, then run the tests again.`);
  const still = staleOutputs();
  if (still.length > 0) {
    throw new Error(`npm run build left ${relative(ROOT, still[0]!.output)} older than ${relative(ROOT, still[0]!.source)}: the tests would run an old dist/.`);
  }
}
