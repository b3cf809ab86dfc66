// The library's runCollection (the package's main export) on the Postman v3 copy of the demo: a v3
// folder and a v12 YAML environment are taken as a 2.1 file and a JSON environment are, with the
// caller's own tokens (no sign-in), real newman against the demo API.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '../fixtures/emulator.js';
import { PUBLIC } from '../fixtures/emulator-http.js';
import { userTokens } from '../fixtures/newman-tokens.js';
import { REPO_ROOT } from '../fixtures/cli.js';
import { startDemoApi } from '../../packages/emulator/demo-api/server.js';
import { runCollection } from '../../src/index.js';
import { toPublic } from '../../src/library.js';
import { clearSecrets } from '../../src/log.js';

const V3_DEMO = join(REPO_ROOT, 'collections', 'postman', 'collections', 'cognito-newman demo');
const V3_DEMO_ENV = join(REPO_ROOT, 'collections', 'postman', 'environments', 'cognito-newman demo.environment.yaml');

test('runCollection runs a v3 folder with a v12 YAML environment, as it runs the 2.1 demo', async ({ emulator }) => {
  const api = await startDemoApi({ port: 0, issuer: emulator.issuer, clientIds: [PUBLIC] });
  const dir = await mkdtemp(join(tmpdir(), 'cn-library-v3-'));
  try {
    const [admin, reader] = await Promise.all([userTokens(emulator.baseUrl, 'admin'), userTokens(emulator.baseUrl, 'reader')]);
    const { exitCode, summary } = await runCollection(V3_DEMO, {
      tokens: [toPublic('admin', admin), toPublic('reader', reader)],
      environment: V3_DEMO_ENV,
      // The shipped environment names demo --serve's port; this API listens elsewhere.
      envVar: { baseUrl: api.baseUrl },
      reporters: ['json'],
      reportsDir: dir,
    });
    expect(summary.failures).toEqual([]);
    expect(exitCode).toBe(0);
    expect(summary.requests).toEqual({ total: 6, failed: 0 });
    expect(summary.assertions).toEqual({ total: 11, failed: 0 });
    const report = JSON.parse(await readFile(join(dir, 'newman-report.json'), 'utf8')) as { collection: { info: { name: string } }; environment: { name: string } };
    expect(report.collection.info.name).toBe('cognito-newman demo');
    expect(report.environment.name).toBe('cognito-newman demo');
  } finally {
    clearSecrets();
    await api.stop();
    await rm(dir, { recursive: true, force: true });
  }
});
