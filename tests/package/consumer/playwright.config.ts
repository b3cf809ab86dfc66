// The consumer's Playwright config: traces on and every report format,
// so the harness can search them all for tokens.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'tests',
  workers: 1,
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }], ['json', { outputFile: 'reports-pw/report.json' }], ['junit', { outputFile: 'reports-pw/junit.xml' }]],
  outputDir: 'test-results',
  use: {
    baseURL: process.env.DEMO_API_URL,
    trace: 'on',
  },
});
