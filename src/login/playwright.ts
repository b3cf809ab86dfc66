// playwright-core, loaded with require() rather than an ESM import.
// Why: importing a CommonJS package from ESM makes Node scan its source for named exports
// (cjs-module-lexer); playwright-core's bundles are ~7 MB, and that scan alone cost ~200 ms of every
// CLI run that signs in (measured: `import()` 765 ms against `require()` 530 ms on this machine).
import { createRequire } from 'node:module';

type PlaywrightCore = typeof import('playwright-core');

const playwright = createRequire(import.meta.url)('playwright-core') as PlaywrightCore;

export const chromium: PlaywrightCore['chromium'] = playwright.chromium;
export const errors: PlaywrightCore['errors'] = playwright.errors;
