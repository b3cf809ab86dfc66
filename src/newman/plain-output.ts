// No ANSI colour codes from Newman when its output is not a terminal (a file, a pipe, a CI log).
// Newman's cli reporter turns its own colours off then (its `noTTY` check), but the tables it draws
// with cli-table3 colour their borders and headers through @colors/colors, which only looks at
// FORCE_COLOR and CI: so the failure table kept its codes in a file. This switches that one off too.
import { createRequire } from 'node:module';
import type { ColorMode } from './options.js';

const require = createRequire(import.meta.url);

interface Colors {
  enable(): void;
  disable(): void;
}

/** The @colors/colors instance cli-table3 (newman's dependency) colours its cells with, if it resolves. */
function tableColors(): Colors | undefined {
  try {
    const fromNewman = createRequire(require.resolve('newman/package.json'));
    const fromTable = createRequire(fromNewman.resolve('cli-table3/package.json'));
    return fromTable('@colors/colors/safe') as Colors;
  } catch {
    return undefined;
  }
}

/** Match the table colours to newman's own rule: `on` always, `off` never, `auto` only on a terminal stdout. */
export function matchTableColours(color: ColorMode, stdout: { isTTY?: boolean } = process.stdout): void {
  const colors = tableColors();
  if (!colors) return;
  if (color === 'on') colors.enable();
  else if (color === 'off' || !stdout.isTTY) colors.disable();
  else colors.enable();
}
