// The runner package's root (it holds collections/ and scripts/install-browser.mjs), whether running
// from src/ (tests) or from dist/src/ (the CLI).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'collections'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cognito-newman: package root not found');
    dir = up;
  }
  return dir;
}
