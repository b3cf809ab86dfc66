// The project's test runner: unit, HTTP, end-to-end (real Chromium) and CLI tests, one config.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'tests',
  testMatch: '**/*.spec.ts',
  // Two cores: two workers keep Chromium-heavy suites fast without starving the servers under test.
  workers: process.env.CI ? 2 : 2,
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list'], ['junit', { outputFile: 'test-results/junit.xml' }]] : [['list']],
  outputDir: 'test-results/artifacts',
  // CLI, package and bench tests run dist/: build it first when it is older than its sources.
  globalSetup: './tests/global-setup.ts',
  // The Managed Login server bundle (esbuild output, ~0.5 MB) is plain JavaScript: Playwright's
  // babel transform of it cost 1.7 s (cold cache) per worker, up to 10 s on a loaded machine.
  build: { external: ['**/dist/managed-login/**'] },
  projects: [
    { name: 'unit', testDir: 'tests/unit' },
    { name: 'http', testDir: 'tests/http' },
    { name: 'e2e', testDir: 'tests/e2e' },
    { name: 'cli', testDir: 'tests/cli' },
    // The packed tarball in a scratch consumer project (tests/package/consumer/ holds its files).
    { name: 'package', testDir: 'tests/package', testIgnore: '**/consumer/**' },
  ],
});
