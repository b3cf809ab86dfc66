// Build step of cognito-newman-emulator (`npm run build`): bundle the Managed Login React +
// Cloudscape app with esbuild into packages/emulator/dist/managed-login/: server.mjs (imported by
// the emulator to render pages) and app.js + app.css (served to the browser, which hydrates). React,
// Cloudscape and esbuild are devDependencies: the emulator package carries only these bundles, the
// runner package none of them, and no page needs a CDN.
import { build } from 'esbuild';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..'); // packages/emulator
const appDir = join(root, 'src', 'managed-login', 'app');
const outDir = join(root, 'dist', 'managed-login');
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

const common = {
  bundle: true,
  minify: true,
  legalComments: 'none',
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
};
const started = Date.now();
await Promise.all([
  build({
    ...common,
    entryPoints: { app: join(appDir, 'client.tsx') },
    outdir: outDir,
    platform: 'browser',
    format: 'iife',
    target: ['chrome110'],
    // Icons are inline SVG; fonts are left to the browser's defaults (no network, no font files).
    loader: { '.woff': 'empty', '.woff2': 'empty', '.ttf': 'empty', '.svg': 'dataurl', '.png': 'dataurl' },
  }),
  build({
    ...common,
    entryPoints: { server: join(appDir, 'server.tsx') },
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    platform: 'node',
    format: 'esm',
    target: ['node20'],
    // The server render needs no CSS: the browser gets app.css.
    loader: { '.css': 'empty', '.woff': 'empty', '.woff2': 'empty', '.ttf': 'empty', '.svg': 'empty', '.png': 'empty' },
    // Some CommonJS dependencies call require(); give the ESM bundle one.
    banner: { js: "import { createRequire as __cnRequire } from 'node:module'; const require = __cnRequire(import.meta.url);" },
  }),
]);
const sizes = Object.fromEntries(readdirSync(outDir).map((f) => [f, statSync(join(outDir, f)).size]));
writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify({ builtAt: new Date().toISOString(), sizes }, null, 2)}\n`);
const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
process.stderr.write(`managed-login bundles in ${Date.now() - started} ms: ${Object.entries(sizes).map(([f, n]) => `${f} ${kb(n)}`).join(', ')}\n`);
