// Runs the fixture sample: `npx playwright test -c examples/playwright` after `npm run build`.
// global-setup.ts starts the Cognito emulator and the demo API unless DEMO_API_URL says where one is.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  globalSetup: './global-setup.ts',
  workers: 1,
  use: { baseURL: process.env.DEMO_API_URL },
});
