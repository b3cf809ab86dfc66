// Run-time side of the Managed Login app: find the bundles `npm run build` wrote to
// dist/managed-login/, import the server renderer in the background (so the emulator starts as
// fast as before), and serve the browser bundle and its CSS from memory.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { localFailure } from '../../errors.js';
import { ASSET_PREFIX, type ManagedModel } from './model.js';

interface ServerBundle {
  renderApp(model: ManagedModel): string;
}

export interface ManagedBundle {
  /** Render the app's HTML for one page (awaits the background import on first use). */
  render(model: ManagedModel): Promise<string>;
  /** Start importing the server renderer in the background (the emulator calls it once it listens). */
  warm(): void;
  /** `/managed-login/assets/app.js?v=…` and the CSS, for the page's tags. */
  scriptUrl: string;
  cssUrl: string;
  /** The asset at this path, or undefined. */
  asset(pathname: string): { body: string; contentType: string } | undefined;
}

/** dist/managed-login/ of this package, from src/ (tests) or dist/src/ (the CLI). */
function bundleDir(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'dist', 'managed-login');
    if (existsSync(join(candidate, 'server.mjs'))) return candidate;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

let cached: ManagedBundle | undefined;

/** Load once per process. Missing bundles are a local-environment error (exit 5) naming the fix. */
export function managedBundle(): ManagedBundle {
  if (cached) return cached;
  const dir = bundleDir();
  if (!dir || !existsSync(join(dir, 'app.js')) || !existsSync(join(dir, 'app.css'))) {
    throw localFailure('MANAGED_LOGIN_NOT_BUILT', 'The emulator\'s Managed Login pages are not built (dist/managed-login/ is missing).', {
      hint: 'Run npm run build in the cognito-newman checkout (it bundles the pages with esbuild; an installed cognito-newman-emulator ships them), or use --ui classic.',
    });
  }
  // A version in the URL: a browser cache never mixes two builds.
  const version = String(existsSync(join(dir, 'manifest.json')) ? (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { builtAt?: string }).builtAt ?? '0' : '0').replace(/\D/g, '');
  let server: Promise<ServerBundle> | undefined;
  const load = () => (server ??= import(pathToFileURL(join(dir, 'server.mjs')).href) as Promise<ServerBundle>);
  // Read on first request (850 KB): start-up pays only for the existence checks above.
  const files = new Map([
    [`${ASSET_PREFIX}app.js`, { file: 'app.js', contentType: 'text/javascript;charset=UTF-8' }],
    [`${ASSET_PREFIX}app.css`, { file: 'app.css', contentType: 'text/css;charset=UTF-8' }],
  ]);
  const assets = new Map<string, { body: string; contentType: string }>();
  const asset = (pathname: string) => {
    const known = files.get(pathname);
    if (!known) return undefined;
    let a = assets.get(pathname);
    if (!a) assets.set(pathname, (a = { body: readFileSync(join(dir, known.file), 'utf8'), contentType: known.contentType }));
    return a;
  };
  cached = {
    render: async (model) => (await load()).renderApp(model),
    // Parsing the 0.5 MB renderer blocks the event loop for ~0.25 s: begun before the server
    // listens (as a setImmediate at creation was), it delayed every start; after, the first page
    // usually finds it loaded, and otherwise awaits the same import.
    warm: () => setImmediate(() => void load().catch(() => undefined)),
    scriptUrl: `${ASSET_PREFIX}app.js?v=${version}`,
    cssUrl: `${ASSET_PREFIX}app.css?v=${version}`,
    asset,
  };
  return cached;
}
