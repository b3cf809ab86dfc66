// `cognito-newman install-browser`: the browser set-up of the postinstall script, run on purpose.
// npm 11 runs a dependency's install scripts only when the user approves them, so a project that
// installs cognito-newman gets no browser from `npm install`; this command is the documented step.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { localFailure } from '../errors.js';
import { packageRoot } from '../package-root.js';

/** Run scripts/install-browser.mjs (shipped in the package) and return its exit code (5: still no browser). */
export async function runInstallBrowserCommand(): Promise<number> {
  const script = join(packageRoot(), 'scripts', 'install-browser.mjs');
  const child = spawn(process.execPath, [script, '--explicit'], { stdio: 'inherit' });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.once('error', (cause) =>
        reject(localFailure('INSTALL_BROWSER_FAILED', `The browser set-up script ${script} could not start.`, { hint: 'Reinstall cognito-newman, or install a headless shell by hand: `sudo apt-get install chromium-headless-shell` or `npx playwright install chromium`.', cause })),
      );
      child.once('close', (code, signal) => resolve(code ?? (signal ? 5 : 0)));
    });
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
}
